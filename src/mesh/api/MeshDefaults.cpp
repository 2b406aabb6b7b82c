// The compatibility edge of the Mesh API (its own library, mesh_api_default, which programs
// linking meshwork::mesh link whole, so nothing has to reference it first):
//  - NanostackRfPhy::get_default_instance() (weak): the node's radio on a simulated node's
//    tasks (NodeContext::rf_phy), else one process-wide radio without a backend;
//  - MeshInterface::get_target_default_instance(): on a simulated node, its default interface
//    if that is a mesh interface; elsewhere, as Mbed's LoWPANNDInterface.cpp, a LoWPANNDInterface
//    on the default radio when nsapi.default-mesh-type is LOWPAN and the target has
//    802_15_4_PHY, read at run time from the application's configuration (nothing in the
//    library is compiled for one application). Weak (MeshInterface.h declares it so): an
//    application's own definition, which the linker sees first, replaces it, as on Mbed.
#include "BackendRfPhy.h"
#include "LoWPANNDInterface.h"
#include "MeshInterface.h"
#include "meshwork/Executor.h"
#include "meshwork/config/ApplicationConfiguration.h"
#include "meshwork/sim/NodeContext.h"
#include "platform/mbed_toolchain.h"

MBED_WEAK NanostackRfPhy &NanostackRfPhy::get_default_instance() {
    if (meshwork::sim::NodeContext *node = meshwork::current_node_context()) {
        if (node->rf_phy != nullptr) {
            return *node->rf_phy;
        }
    }
    // Never destroyed: interfaces of static objects may still use it during static destruction.
    static meshwork::meshapi::BackendRfPhy *const absent =
        new meshwork::meshapi::BackendRfPhy(nullptr);
    return *absent;
}

MeshInterface *MeshInterface::get_target_default_instance() {
    if (meshwork::sim::NodeContext *node = meshwork::current_node_context()) {
        return node->default_interface != nullptr ? node->default_interface->meshInterface()
                                                  : nullptr;
    }
    const meshwork::config::Configuration &c = meshwork::config::application_configuration();
    if (c.nsapi.default_mesh_type != meshwork::config::MeshType::kLowpan ||
        !c.target.has_device("802_15_4_PHY")) {
        return nullptr;  // THREAD and WISUN have no interface yet
    }
    static LoWPANNDInterface *const lowpan = [] {
        auto *i = new LoWPANNDInterface();
        i->initialize(&NanostackRfPhy::get_default_instance());
        return i;
    }();
    return lowpan;
}
