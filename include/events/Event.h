#pragma once

#include "events/EventQueue.h"
