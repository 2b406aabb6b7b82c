// Internal error vocabulary (ARCHITECTURE rule 6): an enum class and Result<T>. nsapi_error_t
// appears only at the netsocket boundary. No exceptions in core, wire, stack or mesh.
#pragma once

#include <cassert>
#include <cstdint>
#include <new>
#include <type_traits>
#include <utility>

namespace meshwork {

enum class Error : std::uint8_t {
    kOk = 0,
    kTruncated,    // input shorter than the format requires
    kMalformed,    // a field holds a value the format forbids
    kUnsupported,  // valid, but a feature this implementation does not handle
    kNoSpace,      // output buffer or pool too small
    kNoMemory,     // allocation (pool) exhausted
    kInvalidArgument,
    kNotFound,
    kWouldBlock,
    kTimeout,
    kBadState,
    kChecksum,  // checksum, FCS or MIC mismatch
};

/// Stable lower-case name of an error, for logs and decoder output.
const char *error_name(Error e);

namespace detail {

// The storage of Result<T>: a union member alive only on success.
template <typename T>
class ResultStorage {
  public:
    explicit ResultStorage(Error error) : error_(error) {}
    template <typename U>
    ResultStorage(std::in_place_t, U &&value) : error_(Error::kOk) {
        new (&value_) T(std::forward<U>(value));
    }
    ResultStorage(const ResultStorage &o) : error_(o.error_) {
        if (o.ok())
            new (&value_) T(o.value_);
    }
    ResultStorage(ResultStorage &&o) noexcept(std::is_nothrow_move_constructible_v<T>)
        : error_(o.error_) {
        if (o.ok())
            new (&value_) T(std::move(o.value_));
    }
    ResultStorage &operator=(const ResultStorage &o) {
        if (this != &o)
            assign(o);
        return *this;
    }
    ResultStorage &operator=(ResultStorage &&o) noexcept(
        std::is_nothrow_move_constructible_v<T> &&std::is_nothrow_move_assignable_v<T>) {
        if (this != &o)
            assign(std::move(o));
        return *this;
    }
    ~ResultStorage() {
        if (ok())
            value_.~T();
    }

    bool ok() const { return error_ == Error::kOk; }

  protected:
    union {
        T value_;  // alive iff error_ == Error::kOk
    };
    Error error_;

  private:
    template <typename S>
    void assign(S &&o) {
        if (ok() && o.ok()) {
            value_ = std::forward<S>(o).value_;
            return;
        }
        if (ok())
            value_.~T();
        if (o.ok())
            new (&value_) T(std::forward<S>(o).value_);
        error_ = o.error_;
    }
};

// Deletes Result's copy operations when T has none (so traits tell the truth).
template <bool kCopyable>
struct CopyGate {};
template <>
struct CopyGate<false> {
    CopyGate() = default;
    CopyGate(const CopyGate &) = delete;
    CopyGate(CopyGate &&) = default;
    CopyGate &operator=(const CopyGate &) = delete;
    CopyGate &operator=(CopyGate &&) = default;
};

}  // namespace detail

/// A value or an Error. Cheap, no exceptions, no allocation. The value is constructed only on
/// success, so T needs no default constructor; T may be move-only.
template <typename T>
class Result : private detail::ResultStorage<T>,
               private detail::CopyGate<std::is_copy_constructible_v<T>> {
    using Storage = detail::ResultStorage<T>;

  public:
    Result(const T &value) : Storage(std::in_place, value) {}        // NOLINT: implicit by design
    Result(T &&value) : Storage(std::in_place, std::move(value)) {}  // NOLINT: implicit
    Result(Error error) : Storage(error) { assert(error != Error::kOk); }  // NOLINT: implicit

    using Storage::ok;
    explicit operator bool() const { return ok(); }
    Error error() const { return this->error_; }

    T &value() & {
        assert(ok());
        return this->value_;
    }
    const T &value() const & {
        assert(ok());
        return this->value_;
    }
    T &&value() && {
        assert(ok());
        return std::move(this->value_);
    }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }
    T &&operator*() && { return std::move(*this).value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T value_or(T fallback) const & { return ok() ? this->value_ : std::move(fallback); }
    T value_or(T fallback) && { return ok() ? std::move(this->value_) : std::move(fallback); }
};

/// Result of an operation with no value.
class Status {
  public:
    Status() : error_(Error::kOk) {}
    Status(Error error) : error_(error) {}  // NOLINT: implicit by design
    bool ok() const { return error_ == Error::kOk; }
    explicit operator bool() const { return ok(); }
    Error error() const { return error_; }

  private:
    Error error_;
};

}  // namespace meshwork
