#include "LibcRandom.h"

#include <dlfcn.h>

#include <cstdlib>
#include <memory>
#include <unordered_map>

#include "meshwork/Executor.h"
#include "meshwork/sim/NodeContext.h"

namespace meshwork::tools {
namespace {

// glibc's rand()/random() generator (TYPE_3, a 128-byte state), one per node. random_data must
// be zeroed before initstate_r() (glibc reads its fields).
struct NodeRandom {
    random_data data{};
    alignas(std::int32_t) char state[128] = {};
};

// Node context -> its generator. Looked up, never iterated: no order dependence. Every node runs
// on the runner's one OS thread, so no lock is needed.
std::unordered_map<const sim::NodeContext *, std::unique_ptr<NodeRandom>> &bindings() {
    static auto *map =
        new std::unordered_map<const sim::NodeContext *, std::unique_ptr<NodeRandom>>();
    return *map;
}

NodeRandom *current() {
    const sim::NodeContext *node = meshwork::current_node_context();
    if (node == nullptr || bindings().empty())
        return nullptr;
    auto it = bindings().find(node);
    return it == bindings().end() ? nullptr : it->second.get();
}

template <class F>
F next(const char *name) {
    return reinterpret_cast<F>(::dlsym(RTLD_NEXT, name));
}

long node_random(NodeRandom &r) {
    std::int32_t v = 0;
    ::random_r(&r.data, &v);
    return v;
}

}  // namespace

void bind_libc_random(const sim::NodeContext &node, std::uint32_t seed) {
    auto r = std::make_unique<NodeRandom>();
    ::initstate_r(seed, r->state, sizeof r->state, &r->data);
    bindings()[&node] = std::move(r);
}

void unbind_libc_random(const sim::NodeContext &node) {
    bindings().erase(&node);
}

}  // namespace meshwork::tools

// The interposed entry points. In glibc rand() is random() and srand() is srandom(): one state,
// so a node's rand() and random() draw from one generator too.
extern "C" {
int mw_rand() __asm__("rand");
void mw_srand(unsigned seed) __asm__("srand");
long mw_random() __asm__("random");
void mw_srandom(unsigned seed) __asm__("srandom");

int mw_rand() {
    return static_cast<int>(mw_random());
}

void mw_srand(unsigned seed) {
    mw_srandom(seed);
}

long mw_random() {
    if (auto *r = meshwork::tools::current())
        return meshwork::tools::node_random(*r);
    static const auto fn = meshwork::tools::next<long (*)()>("random");
    return fn();
}

void mw_srandom(unsigned seed) {
    if (auto *r = meshwork::tools::current()) {
        ::srandom_r(seed, &r->data);
        return;
    }
    static const auto fn = meshwork::tools::next<void (*)(unsigned)>("srandom");
    fn(seed);
}
}  // extern "C"
