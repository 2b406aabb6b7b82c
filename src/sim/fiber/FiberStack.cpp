#include "FiberStack.h"

#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <new>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define MESHWORK_ASAN_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define MESHWORK_ASAN_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

namespace meshwork::sim {

namespace {

// Compatibility edge: a signal handler can only reach process-wide state. The guard pages of
// live stacks, in fixed slots the handler reads without locking (a slot is written whole
// before its `lo` is published).
struct GuardSlot {
    std::atomic<std::uintptr_t> lo{0};
    std::uintptr_t hi = 0;
    const char *owner = nullptr;
};
constexpr std::size_t kSlots = 1 << 16;
GuardSlot *slots() {
    static auto *s = new GuardSlot[kSlots];  // leaked: used until the process ends
    return s;
}

// Where the next search for a free slot starts: slots are claimed round-robin, so starting
// 10,000 nodes' fibers does not scan the taken ones again and again.
std::atomic<std::size_t> next_slot{0};
constexpr std::size_t kNoSlot = ~std::size_t{0};

// Returns the slot claimed (kNoSlot when full: the stack still has its guard page, only the
// report will be less precise).
std::size_t register_guard(std::uintptr_t lo, std::uintptr_t hi, const char *owner) {
    GuardSlot *s = slots();
    const std::size_t start = next_slot.load(std::memory_order_relaxed);
    for (std::size_t k = 0; k < kSlots; ++k) {
        const std::size_t i = (start + k) % kSlots;
        std::uintptr_t expected = 0;
        // Claim with a marker, fill, then publish the real bound.
        if (s[i].lo.load(std::memory_order_relaxed) == 0 &&
            s[i].lo.compare_exchange_strong(expected, 1)) {
            s[i].hi = hi;
            s[i].owner = owner;
            s[i].lo.store(lo, std::memory_order_release);
            next_slot.store((i + 1) % kSlots, std::memory_order_relaxed);
            return i;
        }
    }
    return kNoSlot;
}

void unregister_guard(std::size_t i) {
    if (i < kSlots) {
        slots()[i].lo.store(0, std::memory_order_release);
    }
}

// The slot index is kept in the top bytes of the mapping, above the stack Boost.Context is
// given (those bytes are on the stack's first page, which is touched anyway).
constexpr std::size_t kTopReserve = 16;

void write_str(const char *s) {
    ssize_t r = ::write(STDERR_FILENO, s, std::strlen(s));
    (void)r;
}

void on_segv(int sig, siginfo_t *info, void *) {
    const auto addr = reinterpret_cast<std::uintptr_t>(info->si_addr);
    GuardSlot *s = slots();
    for (std::size_t i = 0; i < kSlots; ++i) {
        const std::uintptr_t lo = s[i].lo.load(std::memory_order_acquire);
        if (lo > 1 && addr >= lo && addr < s[i].hi) {
            write_str("meshwork: fiber stack overflow in ");
            write_str(s[i].owner ? s[i].owner : "(unnamed fiber)");
            write_str(" (guard page hit)\n");
            break;
        }
    }
    // Default action: the fault repeats on return and kills the process with SIGSEGV.
    signal(sig, SIG_DFL);
}

}  // namespace

std::size_t GuardedStack::page_size() {
    static const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    return page;
}

boost::context::stack_context GuardedStack::allocate() {
    const std::size_t page = page_size();
    const std::size_t usable = (usable_ + page - 1) / page * page;
    const std::size_t total = usable + page;
    void *base = ::mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) {
        throw std::bad_alloc();
    }
    ::mprotect(base, page, PROT_NONE);  // the stack grows down into this page
    // A fiber abandoned mid-frame leaves its frames' redzones poisoned in the shadow; a new
    // stack mapped at the same address must not inherit them.
    MESHWORK_ASAN_UNPOISON(static_cast<char *>(base) + page, usable);
    const auto lo = reinterpret_cast<std::uintptr_t>(base);
    const std::size_t slot = register_guard(lo, lo + page, owner_);
    char *top = static_cast<char *>(base) + total - kTopReserve;
    std::memcpy(top, &slot, sizeof slot);
    if (bottom_) {
        *bottom_ = static_cast<char *>(base) + page;
    }
    if (size_) {
        *size_ = usable;
    }
    boost::context::stack_context sctx;
    sctx.size = total - kTopReserve;  // 16-byte aligned still
    sctx.sp = top;
    return sctx;
}

void GuardedStack::deallocate(boost::context::stack_context &sctx) noexcept {
    void *base = static_cast<char *>(sctx.sp) - sctx.size;
    std::size_t slot = kNoSlot;
    std::memcpy(&slot, sctx.sp, sizeof slot);
    unregister_guard(slot);
    MESHWORK_ASAN_UNPOISON(base, sctx.size + kTopReserve);
    ::munmap(base, sctx.size + kTopReserve);
}

void install_stack_overflow_reporter() {
    // The handler needs a stack of its own: the faulting one is exhausted.
    static thread_local bool installed = false;
    if (installed) {
        return;
    }
    installed = true;
    const std::size_t size = 64 * 1024;
    stack_t ss{};
    // Never unmapped: the thread may fault until it ends.
    ss.ss_sp = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (ss.ss_sp == MAP_FAILED) {
        return;
    }
    ss.ss_size = size;
    ::sigaltstack(&ss, nullptr);
    struct sigaction sa {};
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGSEGV, &sa, nullptr);
}

}  // namespace meshwork::sim
