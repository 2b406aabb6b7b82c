/*
 * meshwork: Mbed-compatible network buffer memory manager interface, through which an EMAC
 * driver and a stack exchange (possibly chained) packet buffers.
 */
#ifndef NET_STACK_MEMORY_MANAGER_H
#define NET_STACK_MEMORY_MANAGER_H

#include <stdint.h>

/** Opaque buffer (a chain of segments) owned by the memory manager. */
typedef void net_stack_mem_buf_t;

/** Allocation and access of stack buffers. */
class NetStackMemoryManager {
  public:
    /** One contiguous buffer of `size` bytes, aligned to `align`; NULL when out of memory. */
    virtual net_stack_mem_buf_t *alloc_heap(uint32_t size, uint32_t align) = 0;

    /** A chain of pool segments holding `size` bytes; NULL when out of memory. */
    virtual net_stack_mem_buf_t *alloc_pool(uint32_t size, uint32_t align) = 0;

    /** Payload bytes of one pool segment for the given alignment. */
    virtual uint32_t get_pool_alloc_unit(uint32_t align) const = 0;

    /** Frees a buffer chain. */
    virtual void free(net_stack_mem_buf_t *buf) = 0;

    /** Total payload length of a chain. */
    virtual uint32_t get_total_len(const net_stack_mem_buf_t *buf) const = 0;

    /** Copies a chain into another of at least the same total length. */
    virtual void copy(net_stack_mem_buf_t *to_buf, const net_stack_mem_buf_t *from_buf) = 0;

    /** Copies `len` bytes from `ptr` into a chain (segment by segment). */
    virtual void copy_to_buf(net_stack_mem_buf_t *to_buf, const void *ptr, uint32_t len);

    /** Copies up to `len` bytes out of a chain; returns the number copied. */
    virtual uint32_t copy_from_buf(void *ptr, uint32_t len,
                                   const net_stack_mem_buf_t *from_buf) const;

    /** Appends `cat_buf` to `to_buf`; `cat_buf` must not be used afterwards. */
    virtual void cat(net_stack_mem_buf_t *to_buf, net_stack_mem_buf_t *cat_buf) = 0;

    /** The next segment of a chain, or NULL. */
    virtual net_stack_mem_buf_t *get_next(const net_stack_mem_buf_t *buf) const = 0;

    /** Payload of one segment. */
    virtual void *get_ptr(const net_stack_mem_buf_t *buf) const = 0;

    /** Payload length of one segment. */
    virtual uint32_t get_len(const net_stack_mem_buf_t *buf) const = 0;

    /** Sets the payload length of one segment. */
    virtual void set_len(net_stack_mem_buf_t *buf, uint32_t len) = 0;

  protected:
    ~NetStackMemoryManager() = default;
};

#endif /* NET_STACK_MEMORY_MANAGER_H */
