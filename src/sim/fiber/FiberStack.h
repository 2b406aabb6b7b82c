// Fiber stacks with a guard page: mmap'ed, the lowest page PROT_NONE, so running off the end
// faults instead of overwriting the neighbour. A SIGSEGV handler (on an alternate signal stack)
// names the fiber whose guard page was hit before the process dies, so an overflow is reported,
// not a mystery crash. A Boost.Context StackAllocator.
#pragma once

#include <cstddef>

#include <boost/context/stack_context.hpp>

namespace meshwork::sim {

class GuardedStack {
  public:
    /// `usable` bytes of stack (rounded up to pages) plus one guard page; `owner` names the
    /// fiber in an overflow report (must outlive the stack).
    /// `bottom`/`size` (optional) receive the usable range once allocated.
    GuardedStack(std::size_t usable, const char *owner, const void **bottom = nullptr,
                 std::size_t *size = nullptr)
        : usable_(usable), owner_(owner), bottom_(bottom), size_(size) {}

    boost::context::stack_context allocate();
    void deallocate(boost::context::stack_context &sctx) noexcept;

    static std::size_t page_size();

  private:
    std::size_t usable_;
    const char *owner_;
    const void **bottom_;
    std::size_t *size_;
};

/// Installs the overflow reporter for the calling thread (idempotent).
void install_stack_overflow_reporter();

}  // namespace meshwork::sim
