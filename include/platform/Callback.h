// mbed::Callback<R(Args...)>: a copyable, comparable holder for anything callable with Args...
// (function pointer, function with a bound first argument, member function on an object pointer,
// functor, lambda), plus the callback() factories. Small callables live inline; larger ones are
// copied to the heap (a real Mbed build rejects those at compile time, so no application relies
// on either behaviour).
#pragma once

#include <cstddef>
#include <cstring>
#include <functional>
#include <new>
#include <type_traits>
#include <utility>

#include "platform/mbed_assert.h"
#include "platform/mbed_toolchain.h"

namespace mbed {

template <typename Signature>
class Callback;

namespace detail {

template <typename T>
struct is_callback : std::false_type {};
template <typename R, typename... ArgTs>
struct is_callback<Callback<R(ArgTs...)>> : std::true_type {};

// A callable together with an argument passed in front of the call's own arguments. Covers
// "function + bound first argument" and "object + member function" alike, since std::invoke
// treats a member function pointer followed by an object pointer as a member call.
template <typename F, typename A>
struct BoundCall {
    F f;
    A a;
    template <typename... Ts>
    decltype(auto) operator()(Ts &&...ts) {
        return std::invoke(f, a, std::forward<Ts>(ts)...);
    }
};

// The signature R(Args...) of a class type's unique operator() (lambdas, simple functors).
template <typename M>
struct member_signature;
#define MESHWORK_CALLBACK_MEMBER_SIGNATURE(QUAL)                \
    template <typename C, typename R, typename... ArgTs>        \
    struct member_signature<R (C::*)(ArgTs...) QUAL> {          \
        using type = R(ArgTs...);                               \
    };                                                          \
    template <typename C, typename R, typename... ArgTs>        \
    struct member_signature<R (C::*)(ArgTs...) QUAL noexcept> { \
        using type = R(ArgTs...);                               \
    };
MESHWORK_CALLBACK_MEMBER_SIGNATURE()
MESHWORK_CALLBACK_MEMBER_SIGNATURE(const)
MESHWORK_CALLBACK_MEMBER_SIGNATURE(volatile)
MESHWORK_CALLBACK_MEMBER_SIGNATURE(const volatile)
MESHWORK_CALLBACK_MEMBER_SIGNATURE(&)
MESHWORK_CALLBACK_MEMBER_SIGNATURE(const &)
#undef MESHWORK_CALLBACK_MEMBER_SIGNATURE

template <typename F>
using functor_signature_t = typename member_signature<decltype(&F::operator())>::type;

}  // namespace detail

template <typename R, typename... ArgTs>
class Callback<R(ArgTs...)> {
  public:
    /// Empty callback.
    Callback() noexcept = default;
    Callback(std::nullptr_t) noexcept {}

    Callback(const Callback &other) { copy_from(other); }
    Callback(Callback &&other) noexcept { move_from(other); }

    /// Anything callable as R(ArgTs...): function pointer, lambda, functor, reference_wrapper.
    /// A null function pointer gives an empty callback.
    template <
        typename F, typename D = std::decay_t<F>,
        std::enable_if_t<!detail::is_callback<D>::value && !std::is_same_v<D, std::nullptr_t> &&
                             std::is_invocable_r_v<R, D &, ArgTs...>,
                         int> = 0>
    Callback(F &&f) {
        using Stored =
            std::remove_cv_t<std::remove_reference_t<F>>;  // a function name is never null
        if constexpr (std::is_pointer_v<Stored> || std::is_member_pointer_v<Stored>) {
            if (f == nullptr) {
                return;
            }
        }
        emplace<D>(std::forward<F>(f));
    }

    /// Two-argument forms: (object pointer, member function), (function, bound first argument),
    /// and the reversed forms older releases accepted: (member function, object pointer) and
    /// (bound argument, function).
    template <typename A, typename B,
              std::enable_if_t<
                  std::is_invocable_r_v<R, std::decay_t<B> &, std::decay_t<A> &, ArgTs...> ||
                      std::is_invocable_r_v<R, std::decay_t<A> &, std::decay_t<B> &, ArgTs...>,
                  int> = 0>
    Callback(A &&a, B &&b) {
        using DA = std::decay_t<A>;
        using DB = std::decay_t<B>;
        if constexpr (std::is_invocable_r_v<R, DB &, DA &, ArgTs...>) {
            emplace<detail::BoundCall<DB, DA>>(
                detail::BoundCall<DB, DA>{std::forward<B>(b), std::forward<A>(a)});
        } else {
            emplace<detail::BoundCall<DA, DB>>(
                detail::BoundCall<DA, DB>{std::forward<A>(a), std::forward<B>(b)});
        }
    }

    ~Callback() { reset(); }

    Callback &operator=(const Callback &other) {
        if (this != &other) {
            reset();
            copy_from(other);
        }
        return *this;
    }

    Callback &operator=(Callback &&other) noexcept {
        if (this != &other) {
            reset();
            move_from(other);
        }
        return *this;
    }

    Callback &operator=(std::nullptr_t) noexcept {
        reset();
        return *this;
    }

    template <
        typename F, typename D = std::decay_t<F>,
        std::enable_if_t<!detail::is_callback<D>::value && !std::is_same_v<D, std::nullptr_t> &&
                             std::is_invocable_r_v<R, D &, ArgTs...>,
                         int> = 0>
    Callback &operator=(F &&f) {
        return *this = Callback(std::forward<F>(f));
    }

    /// Older releases' way of re-targeting a callback; same forms as the constructors.
    template <typename... Ts>
    void attach(Ts &&...ts) {
        *this = Callback(std::forward<Ts>(ts)...);
    }

    void swap(Callback &other) noexcept {
        Callback tmp(std::move(other));
        other = std::move(*this);
        *this = std::move(tmp);
    }

    /// Calls the target. Calling an empty callback is a programming error and aborts.
    R call(ArgTs... args) const {
        if (!ops_) {
            mbed_assert_internal("Callback is empty", __FILE__, __LINE__);
        }
        return ops_->call(storage(), std::forward<ArgTs>(args)...);
    }

    R operator()(ArgTs... args) const { return call(std::forward<ArgTs>(args)...); }

    explicit operator bool() const noexcept { return ops_ != nullptr; }

    /// Trampoline for C-style APIs: `func` points to a Callback of this type.
    static R thunk(void *func, ArgTs... args) {
        return static_cast<Callback *>(func)->call(std::forward<ArgTs>(args)...);
    }

    /// Equal when both are empty, or both hold the same kind of target with the same bytes
    /// (the same function, the same object and method, a copy of the same lambda).
    friend bool operator==(const Callback &l, const Callback &r) noexcept {
        if (l.ops_ != r.ops_) {
            return false;
        }
        return l.ops_ == nullptr || l.ops_->equal(l.storage(), r.storage());
    }
    friend bool operator!=(const Callback &l, const Callback &r) noexcept { return !(l == r); }
    friend bool operator==(const Callback &f, std::nullptr_t) noexcept { return !f; }
    friend bool operator==(std::nullptr_t, const Callback &f) noexcept { return !f; }
    friend bool operator!=(const Callback &f, std::nullptr_t) noexcept { return bool(f); }
    friend bool operator!=(std::nullptr_t, const Callback &f) noexcept { return bool(f); }

  private:
    static constexpr std::size_t kInlineSize = 4 * sizeof(void *);

    struct Ops {
        R (*call)(void *storage, ArgTs... args);
        void (*copy)(void *dst, const void *src);
        void (*move)(void *dst, void *src);  // leaves src destroyed
        void (*destroy)(void *storage);
        bool (*equal)(const void *a, const void *b);
    };

    template <typename F>
    static constexpr bool fits_inline =
        sizeof(F) <= kInlineSize &&
        alignof(F) <= alignof(std::max_align_t) && std::is_nothrow_move_constructible_v<F>;

    // Inline storage: the callable object itself.
    template <typename F>
    struct InlineOps {
        static F &get(void *s) { return *std::launder(static_cast<F *>(s)); }
        static const F &get(const void *s) { return *std::launder(static_cast<const F *>(s)); }
        static R call(void *s, ArgTs... args) {
            return static_cast<R>(std::invoke(get(s), std::forward<ArgTs>(args)...));
        }
        static void copy(void *dst, const void *src) {
            if constexpr (std::is_trivially_copyable_v<F>) {
                std::memcpy(dst, src, kInlineSize);  // padding too, so equal() can compare bytes
            } else {
                ::new (dst) F(get(src));
            }
        }
        static void move(void *dst, void *src) {
            if constexpr (std::is_trivially_copyable_v<F>) {
                std::memcpy(dst, src, kInlineSize);
            } else {
                ::new (dst) F(std::move(get(src)));
                get(src).~F();
            }
        }
        static void destroy(void *s) { get(s).~F(); }
        static bool equal(const void *a, const void *b) {
            if constexpr (std::is_trivially_copyable_v<F>) {
                return std::memcmp(a, b, sizeof(F)) == 0;
            } else {
                return a == b;
            }
        }
        static constexpr Ops ops{&call, &copy, &move, &destroy, &equal};
    };

    // Heap storage: a pointer to the callable object.
    template <typename F>
    struct HeapOps {
        static F *&ptr(void *s) { return *std::launder(static_cast<F **>(s)); }
        static F *ptr(const void *s) { return *std::launder(static_cast<F *const *>(s)); }
        static R call(void *s, ArgTs... args) {
            return static_cast<R>(std::invoke(*ptr(s), std::forward<ArgTs>(args)...));
        }
        static void copy(void *dst, const void *src) { ::new (dst) F *(new F(*ptr(src))); }
        static void move(void *dst, void *src) { ::new (dst) F *(ptr(src)); }
        static void destroy(void *s) { delete ptr(s); }
        static bool equal(const void *a, const void *b) {
            if constexpr (std::is_trivially_copyable_v<F>) {
                return std::memcmp(ptr(a), ptr(b), sizeof(F)) == 0;
            } else {
                return ptr(a) == ptr(b);
            }
        }
        static constexpr Ops ops{&call, &copy, &move, &destroy, &equal};
    };

    template <typename F, typename... Ts>
    void emplace(Ts &&...ts) {
        std::memset(storage_, 0, kInlineSize);
        if constexpr (fits_inline<F>) {
            ::new (static_cast<void *>(storage_)) F(std::forward<Ts>(ts)...);
            ops_ = &InlineOps<F>::ops;
        } else {
            ::new (static_cast<void *>(storage_)) F *(new F(std::forward<Ts>(ts)...));
            ops_ = &HeapOps<F>::ops;
        }
    }

    void copy_from(const Callback &other) {
        if (other.ops_) {
            std::memset(storage_, 0, kInlineSize);
            other.ops_->copy(storage_, other.storage_);
            ops_ = other.ops_;
        }
    }

    void move_from(Callback &other) noexcept {
        if (other.ops_) {
            std::memset(storage_, 0, kInlineSize);
            other.ops_->move(storage_, other.storage_);
            ops_ = other.ops_;
            other.ops_ = nullptr;
        }
    }

    void reset() noexcept {
        if (ops_) {
            ops_->destroy(storage_);
            ops_ = nullptr;
        }
    }

    void *storage() const { return const_cast<unsigned char *>(storage_); }

    const Ops *ops_ = nullptr;
    alignas(std::max_align_t) unsigned char storage_[kInlineSize] = {};
};

template <typename R, typename... ArgTs>
void swap(Callback<R(ArgTs...)> &a, Callback<R(ArgTs...)> &b) noexcept {
    a.swap(b);
}

// ---- callback() factories: deduce the Callback type from the arguments. ----

template <typename R, typename... ArgTs>
Callback<R(ArgTs...)> callback(R (*func)(ArgTs...) = nullptr) noexcept {
    return Callback<R(ArgTs...)>(func);
}

template <typename R, typename... ArgTs>
Callback<R(ArgTs...)> callback(const Callback<R(ArgTs...)> &func) {
    return func;
}

#define MESHWORK_CALLBACK_METHOD_FACTORY(QUAL)                              \
    template <typename T, typename U, typename R, typename... ArgTs>        \
    Callback<R(ArgTs...)> callback(U *obj, R (T::*method)(ArgTs...) QUAL) { \
        return Callback<R(ArgTs...)>(obj, method);                          \
    }                                                                       \
    template <typename T, typename U, typename R, typename... ArgTs>        \
    Callback<R(ArgTs...)> callback(R (T::*method)(ArgTs...) QUAL, U *obj) { \
        return Callback<R(ArgTs...)>(obj, method);                          \
    }
MESHWORK_CALLBACK_METHOD_FACTORY()
MESHWORK_CALLBACK_METHOD_FACTORY(const)
MESHWORK_CALLBACK_METHOD_FACTORY(volatile)
MESHWORK_CALLBACK_METHOD_FACTORY(const volatile)
#undef MESHWORK_CALLBACK_METHOD_FACTORY

/// A function with its first argument bound, e.g. callback(handler, ThisThread::get_id()).
template <typename R, typename B0, typename U, typename... ArgTs,
          std::enable_if_t<std::is_convertible_v<U, B0>, int> = 0>
Callback<R(ArgTs...)> callback(R (*func)(B0, ArgTs...), U arg) {
    return Callback<R(ArgTs...)>(func, arg);
}

/// Lambdas and functors with a single, non-template operator().
template <typename F, typename D = std::decay_t<F>,
          std::enable_if_t<std::is_class_v<D> && !detail::is_callback<D>::value, int> = 0>
Callback<detail::functor_signature_t<D>> callback(F &&f) {
    return Callback<detail::functor_signature_t<D>>(std::forward<F>(f));
}

}  // namespace mbed
