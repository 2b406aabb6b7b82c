#pragma once

#include "drivers/PinNames.h"
