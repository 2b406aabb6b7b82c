/*
 * meshwork: Mbed's Nanostack.h. On Mbed OS it declares the process's one Nanostack
 * NetworkStack. On meshwork every simulated node has its own stack, which a mesh interface's
 * sockets use (MeshInterfaceNanostack::get_stack()); this header only brings in the Nanostack
 * types applications name with it (docs/mesh-api.md, "Not yet wired": no Nanostack class).
 */
#ifndef NANOSTACK_H_
#define NANOSTACK_H_

#include "NanostackRfPhy.h"
#include "NetworkStack.h"
#include "mesh_interface_types.h"
#include "nanostack/socket_api.h"

#endif /* NANOSTACK_H_ */
