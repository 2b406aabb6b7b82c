// MAC security (IEEE 802.15.4-2015 9, frame-compatible with 2006 7.5.8): AES-CCM* over a PSDU
// in place, the CCM* nonce, and the PIB's security tables: keys looked up by key identifier
// mode, key source and key index (9.2.2), and devices with a frame counter per (device, key),
// so that a key switch starts fresh counters and old frames stay rejected under the old key.
//
// Fixed-size tables, no allocation. The tables are per MAC (per node).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "core/Bytes.h"
#include "core/Error.h"
#include "wire/Ieee802154.h"

namespace meshwork::mac {

/// A key and how frames name it (macKeyTable entry, 2015 9.5 table 9-9, reduced to what the
/// lookup uses). Mode 0: the key is implied by the peer (`peer`, 0 for any peer); mode 1: by
/// the index alone (macDefaultKeySource); modes 2 and 3: by a 4- or 8-byte source and the index.
struct MacKeyDescriptor {
    std::uint8_t key[16] = {};
    std::uint8_t key_id_mode = 1;
    std::uint8_t key_source[8] = {};  // on-air order; 4 bytes used in mode 2
    std::uint8_t key_index = 1;       // modes 1-3; 0 is not allowed on air for them
    std::uint64_t peer = 0;           // mode 0 only
    std::uint32_t frame_counter = 0;  // the next outgoing frame counter under this key

    bool matches(const wire::AuxSecurityHeader &h, std::uint64_t peer_address) const;
};

/// A peer (macDeviceTable entry): its addresses, for the nonce when it sends from a short
/// address, and whether it may send unsecured frames where security is required.
struct MacDeviceDescriptor {
    std::uint16_t pan_id = 0xffff;
    std::uint16_t short_address = wire::MacAddress::kNoShortAddress;
    std::uint64_t extended_address = 0;
    bool exempt = false;
};

class MacSecurityTable {
  public:
    static constexpr std::size_t kMaxKeys = 8;
    static constexpr std::size_t kMaxDevices = 32;

    /// Adds a key or replaces the one with the same identifier (its counters restart).
    /// kNoSpace when full, kInvalidArgument for a bad mode or index.
    Status add_key(const MacKeyDescriptor &key);
    /// kNotFound when no key has this identifier.
    Status remove_key(std::uint8_t key_id_mode, const std::uint8_t key_source[8],
                      std::uint8_t key_index);
    /// Adds a device or updates the one with the same extended address (counters kept).
    Status add_device(const MacDeviceDescriptor &device);
    Status remove_device(std::uint64_t extended_address);
    void clear();

    /// Key slot for an aux header from (mode 0) or to `peer`, or -1.
    int find_key(const wire::AuxSecurityHeader &h, std::uint64_t peer) const;
    MacKeyDescriptor *key(int slot);
    int find_device(std::uint64_t extended_address) const;
    int find_device_by_short(std::uint16_t pan_id, std::uint16_t short_address) const;
    const MacDeviceDescriptor *device(int slot) const;
    std::size_t key_count() const;
    std::size_t device_count() const;

    /// Replay check (2015 9.2.5 incoming frame security): true when `counter` is not below the
    /// next one expected from `device` under `key`.
    bool counter_fresh(int device, int key, std::uint32_t counter) const;
    /// After a frame authenticated: the next counter expected is `counter` + 1.
    void counter_accept(int device, int key, std::uint32_t counter);
    /// The next counter expected from `device` under `key` (0 if none seen yet).
    std::uint32_t next_counter(int device, int key) const;

  private:
    struct KeySlot {
        bool used = false;
        MacKeyDescriptor d;
    };
    struct DeviceSlot {
        bool used = false;
        MacDeviceDescriptor d;
        std::array<std::uint32_t, kMaxKeys> next{};  // per key slot
        std::array<bool, kMaxKeys> seen{};
    };
    std::array<KeySlot, kMaxKeys> keys_{};
    std::array<DeviceSlot, kMaxDevices> devices_{};
};

/// The 13-byte CCM* nonce (2015 9.3.2.2): the source's extended address (printed byte order),
/// the frame counter (big-endian) and the security level.
void mac_ccm_nonce(std::uint64_t source, std::uint32_t frame_counter, std::uint8_t level,
                   std::uint8_t nonce[13]);

/// False when the MAC was built without mbed TLS: CCM* then returns kUnsupported, secured
/// requests fail with kUnsupported and secured frames are dropped as kSecurityMalformed.
bool mac_security_available();

/// Secures an emitted frame in place (2015 9.3.4-9.3.5). `frame` holds the MPDU without FCS:
/// `a_len` octets authenticated only (MHR, aux header, header IEs, open payload), then the
/// private payload, then mic_size(level) octets that receive the MIC. Levels 1-3 authenticate
/// the whole payload and encrypt nothing; 4 encrypts without MIC; 5-7 both. kInvalidArgument
/// for level 0, a frame shorter than a_len plus the MIC, or longer than 127 octets.
Status mac_ccm_secure(const std::uint8_t key[16], const std::uint8_t nonce[13], std::uint8_t level,
                      MutableByteSpan frame, std::size_t a_len);
/// The inverse; kChecksum when the MIC does not verify (the frame is then left undefined).
Status mac_ccm_unsecure(const std::uint8_t key[16], const std::uint8_t nonce[13],
                        std::uint8_t level, MutableByteSpan frame, std::size_t a_len);

/// How many payload octets of a secured frame stay in the clear (the open payload): the
/// command identifier of a MAC command frame, nothing otherwise.
std::size_t mac_open_payload_size(const wire::MacFrame &f);

}  // namespace meshwork::mac
