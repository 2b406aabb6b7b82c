#pragma once

#include "drivers/Timeout.h"
