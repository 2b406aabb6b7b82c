// NetStackMemoryManager: segment-by-segment copies shared by every memory manager.
#include "NetStackMemoryManager.h"

#include <string.h>

void NetStackMemoryManager::copy_to_buf(net_stack_mem_buf_t *to_buf, const void *ptr,
                                        uint32_t len) {
    const uint8_t *src = static_cast<const uint8_t *>(ptr);
    for (net_stack_mem_buf_t *seg = to_buf; seg && len > 0; seg = get_next(seg)) {
        uint32_t n = get_len(seg) < len ? get_len(seg) : len;
        memcpy(get_ptr(seg), src, n);
        src += n;
        len -= n;
    }
}

uint32_t NetStackMemoryManager::copy_from_buf(void *ptr, uint32_t len,
                                              const net_stack_mem_buf_t *from_buf) const {
    uint8_t *dst = static_cast<uint8_t *>(ptr);
    uint32_t copied = 0;
    for (const net_stack_mem_buf_t *seg = from_buf; seg && copied < len; seg = get_next(seg)) {
        uint32_t n = get_len(seg);
        if (n > len - copied) {
            n = len - copied;
        }
        memcpy(dst + copied, get_ptr(seg), n);
        copied += n;
    }
    return copied;
}
