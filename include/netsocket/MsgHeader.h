/*
 * meshwork: Mbed-compatible walker over a control-message buffer of sendto_control /
 * recvfrom_control (a sequence of nsapi_msghdr_t-headed messages, each `len` bytes long).
 */
#ifndef MSG_HEADER_H
#define MSG_HEADER_H

#include <stdint.h>

#include "nsapi_types.h"

/** Iterates over the messages of a control buffer, stopping at the first malformed one. */
struct MsgHeaderIterator {
    /** `hdr` is the buffer, `size` its length in bytes. */
    MsgHeaderIterator(nsapi_msghdr_t *hdr, nsapi_size_t size) : start(hdr), size(size) {}

    /** True when another whole message follows. */
    bool has_next() {
        if (!start) {
            return false;
        }
        nsapi_size_t offset = current ? next_offset() : 0;
        if (size < offset || size - offset < sizeof(nsapi_msghdr_t)) {
            return false;
        }
        const nsapi_msghdr_t *h = at(offset);
        return h->len >= sizeof(nsapi_msghdr_t) && h->len <= size - offset;
    }

    /** The next message, or NULL when there is none. */
    nsapi_msghdr_t *next() {
        if (!has_next()) {
            return nullptr;
        }
        current = at(current ? next_offset() : 0);
        return current;
    }

  private:
    nsapi_size_t next_offset() const {
        return nsapi_size_t(reinterpret_cast<uint8_t *>(current) -
                            reinterpret_cast<uint8_t *>(start)) +
               current->len;
    }
    nsapi_msghdr_t *at(nsapi_size_t offset) const {
        return reinterpret_cast<nsapi_msghdr_t *>(reinterpret_cast<uint8_t *>(start) + offset);
    }

    nsapi_msghdr_t *start;
    nsapi_msghdr_t *current = nullptr;
    nsapi_size_t size;
};

#endif /* MSG_HEADER_H */
