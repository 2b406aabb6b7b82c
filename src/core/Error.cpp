#include "core/Error.h"

namespace meshwork {

const char *error_name(Error e) {
    switch (e) {
        case Error::kOk:
            return "ok";
        case Error::kTruncated:
            return "truncated";
        case Error::kMalformed:
            return "malformed";
        case Error::kUnsupported:
            return "unsupported";
        case Error::kNoSpace:
            return "no-space";
        case Error::kNoMemory:
            return "no-memory";
        case Error::kInvalidArgument:
            return "invalid-argument";
        case Error::kNotFound:
            return "not-found";
        case Error::kWouldBlock:
            return "would-block";
        case Error::kTimeout:
            return "timeout";
        case Error::kBadState:
            return "bad-state";
        case Error::kChecksum:
            return "checksum";
    }
    return "unknown";
}

}  // namespace meshwork
