/*
 * meshwork: Mbed's umbrella header of the Nanostack interfaces.
 */
#ifndef NANOSTACK_INTERFACE_H_
#define NANOSTACK_INTERFACE_H_

#include "LoWPANNDInterface.h"
#include "MeshInterfaceNanostack.h"
#include "Nanostack.h"
#include "NanostackRfPhy.h"

#endif /* NANOSTACK_INTERFACE_H_ */
