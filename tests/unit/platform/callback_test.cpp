#include "platform/Callback.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

using mbed::Callback;
using mbed::callback;

namespace {

int g_calls = 0;
void free_fn() {
    ++g_calls;
}
int add(int a, int b) {
    return a + b;
}
int add_to(int *base, int x) {
    return *base + x;
}
int add_to_const(const int *base, int x) {
    return *base + x;
}

struct Counter {
    int value = 0;
    int bump(int by) { return value += by; }
    int peek(int extra) const { return value + extra; }
    int vpeek(int extra) volatile { return value + extra; }
    int cvpeek(int extra) const volatile { return value + extra; }
};

struct Functor {
    int factor;
    int operator()(int x) const { return x * factor; }
};

}  // namespace

TEST(Callback, EmptyByDefaultAndFromNullptr) {
    Callback<void()> a;
    Callback<void()> b(nullptr);
    void (*null_fn)() = nullptr;
    Callback<void()> c(null_fn);
    EXPECT_FALSE(a);
    EXPECT_FALSE(b);
    EXPECT_FALSE(c);
    EXPECT_TRUE(a == nullptr);
    EXPECT_TRUE(nullptr == b);
    EXPECT_TRUE(a == b);
    EXPECT_FALSE(a != nullptr);
}

TEST(Callback, FreeFunction) {
    g_calls = 0;
    Callback<void()> cb(free_fn);
    ASSERT_TRUE(cb);
    cb();
    cb.call();
    EXPECT_EQ(g_calls, 2);
    Callback<int(int, int)> sum = add;
    EXPECT_EQ(sum(2, 3), 5);
    EXPECT_EQ(callback(add)(4, 5), 9);
    EXPECT_TRUE(cb != nullptr);
}

TEST(Callback, BoundFirstArgument) {
    int base = 10;
    Callback<int(int)> cb(add_to, &base);
    EXPECT_EQ(cb(5), 15);
    base = 20;
    EXPECT_EQ(cb(1), 21);
    auto viaFactory = callback(add_to, &base);
    EXPECT_EQ(viaFactory(2), 22);
    auto constBound = callback(add_to_const, &base);
    EXPECT_EQ(constBound(3), 23);
    // Reversed order accepted by older releases.
    Callback<int(int)> reversed(&base, add_to);
    EXPECT_EQ(reversed(4), 24);
}

TEST(Callback, MemberFunctions) {
    Counter c;
    Callback<int(int)> bump(&c, &Counter::bump);
    EXPECT_EQ(bump(3), 3);
    EXPECT_EQ(bump(4), 7);
    EXPECT_EQ(c.value, 7);

    const Counter *cp = &c;
    auto peek = callback(cp, &Counter::peek);
    EXPECT_EQ(peek(1), 8);
    auto peek2 = callback(&c, &Counter::peek);
    EXPECT_EQ(peek2(2), 9);
    volatile Counter *vp = &c;
    auto vpeek = callback(vp, &Counter::vpeek);
    EXPECT_EQ(vpeek(0), 7);

    // Reversed (method, object) form of older releases.
    Callback<int(int)> old(&Counter::bump, &c);
    EXPECT_EQ(old(1), 8);
    auto oldFactory = callback(&Counter::bump, &c);
    EXPECT_EQ(oldFactory(1), 9);
}

TEST(Callback, LambdaAndFunctor) {
    int captured = 0;
    Callback<void(int)> lam([&captured](int x) { captured += x; });
    lam(5);
    lam(6);
    EXPECT_EQ(captured, 11);

    auto deduced = callback([](int a, int b) { return a * b; });
    EXPECT_EQ(deduced(6, 7), 42);

    Callback<int(int)> f(Functor{3});
    EXPECT_EQ(f(4), 12);
    EXPECT_EQ(callback(Functor{5})(2), 10);

    int mutable_state = 0;
    Callback<int()> counter([n = 0]() mutable { return ++n; });
    EXPECT_EQ(counter(), 1);
    EXPECT_EQ(counter(), 2);
    (void)mutable_state;
}

TEST(Callback, ReferenceWrapperCallsTheOriginalObject) {
    Functor fn{2};
    Callback<int(int)> cb(std::ref(fn));
    fn.factor = 10;
    EXPECT_EQ(cb(3), 30);
}

TEST(Callback, LargeAndNonTrivialCallablesAreCopied) {
    auto shared = std::make_shared<int>(7);
    std::string big(100, 'x');
    Callback<size_t()> cb([shared, big] { return big.size() + static_cast<size_t>(*shared); });
    Callback<size_t()> copy = cb;
    EXPECT_EQ(cb(), 107u);
    EXPECT_EQ(copy(), 107u);
    EXPECT_EQ(shared.use_count(), 3);
    Callback<size_t()> moved = std::move(cb);
    EXPECT_FALSE(cb);  // NOLINT(bugprone-use-after-move): moved-from is empty
    EXPECT_EQ(moved(), 107u);
    EXPECT_EQ(shared.use_count(), 3);
    moved = nullptr;
    copy = nullptr;
    EXPECT_EQ(shared.use_count(), 1);
}

TEST(Callback, CopyMoveAssignSwap) {
    g_calls = 0;
    Callback<void()> a(free_fn);
    Callback<void()> b;
    b = a;
    EXPECT_TRUE(a == b);
    Callback<void()> c(std::move(b));
    EXPECT_FALSE(b);  // NOLINT
    c();
    EXPECT_EQ(g_calls, 1);
    Callback<void()> d;
    d.swap(c);
    EXPECT_FALSE(c);
    EXPECT_TRUE(d);
    d = [] { ++g_calls; };
    d();
    EXPECT_EQ(g_calls, 2);
    d.attach(free_fn);
    EXPECT_TRUE(d == a);
}

TEST(Callback, Comparison) {
    Counter c1;
    Counter c2;
    Callback<int(int)> m1(&c1, &Counter::bump);
    Callback<int(int)> m1b = callback(&c1, &Counter::bump);
    Callback<int(int)> m2(&c2, &Counter::bump);
    EXPECT_TRUE(m1 == m1b);
    EXPECT_FALSE(m1 == m2);
    EXPECT_TRUE(m1 != m2);

    Callback<int(int, int)> f1(add);
    Callback<int(int, int)> f2 = callback(add);
    EXPECT_TRUE(f1 == f2);
    Callback<int(int, int)> other([](int a, int b) { return a - b; });
    EXPECT_TRUE(f1 != other);
    Callback<int(int, int)> otherCopy = other;
    EXPECT_TRUE(other == otherCopy);
}

TEST(Callback, ThunkForwardsToTheCallback) {
    int seen = 0;
    Callback<void(int)> cb([&seen](int x) { seen = x; });
    void (*trampoline)(void *, int) = &Callback<void(int)>::thunk;
    trampoline(&cb, 42);
    EXPECT_EQ(seen, 42);
}

TEST(CallbackDeathTest, CallingEmptyAborts) {
    Callback<void()> empty;
    EXPECT_DEATH(empty(), "Callback is empty");
}

TEST(Callback, FactoryFromCallbackAndCvQualifiedForms) {
    Counter c;
    c.value = 40;
    Callback<int(int)> original(&c, &Counter::bump);
    // callback(const Callback &) copies the target: both call the same object.
    Callback<int(int)> copy = callback(original);
    EXPECT_EQ(copy(1), 41);
    EXPECT_EQ(original(1), 42);
    EXPECT_TRUE(copy == original);

    const volatile Counter *cvp = &c;
    auto cv = callback(cvp, &Counter::cvpeek);
    EXPECT_EQ(cv(8), 50);
    Callback<int(int)> cv_ctor(cvp, &Counter::cvpeek);
    EXPECT_EQ(cv_ctor(0), 42);

    // A function taking a const volatile bound argument.
    Callback<int(int)> bound([](const volatile int *base, int x) { return *base + x; },
                             static_cast<const volatile int *>(&c.value));
    EXPECT_EQ(bound(1), 43);

    // An empty Callback passed to the factory stays empty.
    Callback<void()> empty;
    EXPECT_FALSE(callback(empty));
}
