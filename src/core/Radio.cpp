#include "core/Radio.h"

namespace meshwork {

const char *radio_tx_status_name(RadioTxStatus s) {
    switch (s) {
        case RadioTxStatus::kOk:
            return "ok";
        case RadioTxStatus::kChannelBusy:
            return "channel-busy";
        case RadioTxStatus::kAborted:
            return "aborted";
        case RadioTxStatus::kNoAck:
            return "no-ack";
    }
    return "?";
}

}  // namespace meshwork
