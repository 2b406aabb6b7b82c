#pragma once

#include "drivers/DigitalOut.h"
