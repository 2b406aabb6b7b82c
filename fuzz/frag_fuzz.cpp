// 6LoWPAN header chain in front of IPHC: mesh, broadcast and fragment headers (RFC 4944).
// Each header that parses must emit to the same bytes and parse back equal.
#include <cstdint>
#include <cstring>

#include "wire/LowpanFrag.h"
#include "wire/LowpanMesh.h"

using namespace meshwork;
using namespace meshwork::wire;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    ByteReader r(ByteSpan(data, size));
    for (int guard = 0; guard < 8 && !r.at_end(); ++guard) {
        const std::size_t start = r.offset();
        const LowpanDispatch d = lowpan_dispatch(r.rest()[0]);
        std::uint8_t out[32];
        ByteWriter w{MutableByteSpan(out)};
        if (d == LowpanDispatch::kMesh) {
            Result<LowpanMeshHeader> h = LowpanMeshHeader::parse(r);
            if (!h)
                return 0;
            if (!h->emit(w).ok() || w.offset() != h->emitted_size())
                __builtin_trap();
            ByteReader r2(w.written());
            Result<LowpanMeshHeader> h2 = LowpanMeshHeader::parse(r2);
            if (!h2 || !(*h2 == *h))
                __builtin_trap();
            // With the escape nibble a small hop count may be sent long; otherwise bytes match.
            if ((data[start] & 0x0f) != 0x0f &&
                !w.written().equals(ByteSpan(data + start, r.offset() - start)))
                __builtin_trap();
        } else if (d == LowpanDispatch::kBc0) {
            Result<LowpanBroadcastHeader> h = LowpanBroadcastHeader::parse(r);
            if (!h)
                return 0;
            if (!h->emit(w).ok() || !w.written().equals(ByteSpan(data + start, 2)))
                __builtin_trap();
        } else if (d == LowpanDispatch::kFrag1 || d == LowpanDispatch::kFragN) {
            Result<LowpanFragHeader> h = LowpanFragHeader::parse(r);
            if (!h)
                return 0;
            if (!h->emit(w).ok() || !w.written().equals(ByteSpan(data + start, r.offset() - start)))
                __builtin_trap();
            Result<LowpanFragHeader> h2 = LowpanFragHeader::parse(w.written());
            if (!h2 || !(*h2 == *h))
                __builtin_trap();
        } else {
            return 0;
        }
    }
    return 0;
}
