/*
 * meshwork: Mbed-compatible EMAC memory manager (the NetStackMemoryManager an EMAC sees).
 */
#ifndef EMAC_MEMORY_MANAGER_H
#define EMAC_MEMORY_MANAGER_H

#include "NetStackMemoryManager.h"

typedef void emac_mem_buf_t;

/** Memory manager handed to an EMAC driver by its stack. */
class EMACMemoryManager : public NetStackMemoryManager {
  protected:
    ~EMACMemoryManager() = default;
};

#endif /* EMAC_MEMORY_MANAGER_H */
