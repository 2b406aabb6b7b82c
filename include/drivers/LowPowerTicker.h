#pragma once

#include "drivers/Ticker.h"
