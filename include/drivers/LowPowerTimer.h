#pragma once

#include "drivers/Timer.h"
