// meshwork's time vocabulary (Clock, Instant, Duration) is core's; this name is kept for
// applications and public headers that include it as "meshwork/Time.h".
#pragma once

#include "core/Time.h"
