#include "mesh/mac/MacSecurity.h"

#include <cstring>

#ifdef MESHWORK_MAC_HAVE_CCM
#include <mbedtls/ccm.h>
#endif

namespace meshwork::mac {

namespace {

bool same_source(std::uint8_t mode, const std::uint8_t *a, const std::uint8_t *b) {
    const std::size_t n = wire::AuxSecurityHeader::key_source_size(mode);
    return n == 0 || std::memcmp(a, b, n) == 0;
}

bool valid_key_id(std::uint8_t mode, std::uint8_t index) {
    return mode <= 3 && (mode == 0 || index != 0);
}

}  // namespace

bool MacKeyDescriptor::matches(const wire::AuxSecurityHeader &h, std::uint64_t peer_address) const {
    if (h.key_id_mode != key_id_mode)
        return false;
    if (key_id_mode == 0)
        return peer == 0 || peer == peer_address;
    return h.key_index == key_index && same_source(key_id_mode, h.key_source, key_source);
}

Status MacSecurityTable::add_key(const MacKeyDescriptor &key) {
    if (!valid_key_id(key.key_id_mode, key.key_index))
        return Status(Error::kInvalidArgument);
    KeySlot *free_slot = nullptr;
    for (std::size_t i = 0; i < keys_.size(); ++i) {
        KeySlot &k = keys_[i];
        if (!k.used) {
            if (!free_slot)
                free_slot = &k;
            continue;
        }
        const bool same = k.d.key_id_mode == key.key_id_mode &&
                          (key.key_id_mode == 0
                               ? k.d.peer == key.peer
                               : k.d.key_index == key.key_index &&
                                     same_source(key.key_id_mode, k.d.key_source, key.key_source));
        if (same) {
            free_slot = &k;
            break;
        }
    }
    if (!free_slot)
        return Status(Error::kNoSpace);
    const std::size_t slot = static_cast<std::size_t>(free_slot - keys_.data());
    free_slot->used = true;
    free_slot->d = key;
    for (DeviceSlot &d : devices_) {  // a new key: no counter seen under it yet
        d.next[slot] = 0;
        d.seen[slot] = false;
    }
    return Status();
}

Status MacSecurityTable::remove_key(std::uint8_t key_id_mode, const std::uint8_t key_source[8],
                                    std::uint8_t key_index) {
    for (KeySlot &k : keys_) {
        if (k.used && k.d.key_id_mode == key_id_mode &&
            (key_id_mode == 0 || (k.d.key_index == key_index &&
                                  same_source(key_id_mode, k.d.key_source, key_source)))) {
            k.used = false;
            return Status();
        }
    }
    return Status(Error::kNotFound);
}

Status MacSecurityTable::add_device(const MacDeviceDescriptor &device) {
    if (device.extended_address == 0)
        return Status(Error::kInvalidArgument);
    DeviceSlot *free_slot = nullptr;
    for (DeviceSlot &d : devices_) {
        if (d.used && d.d.extended_address == device.extended_address) {
            d.d = device;
            return Status();
        }
        if (!d.used && !free_slot)
            free_slot = &d;
    }
    if (!free_slot)
        return Status(Error::kNoSpace);
    *free_slot = DeviceSlot{};
    free_slot->used = true;
    free_slot->d = device;
    return Status();
}

Status MacSecurityTable::remove_device(std::uint64_t extended_address) {
    const int i = find_device(extended_address);
    if (i < 0)
        return Status(Error::kNotFound);
    devices_[static_cast<std::size_t>(i)].used = false;
    return Status();
}

void MacSecurityTable::clear() {
    keys_ = {};
    devices_ = {};
}

int MacSecurityTable::find_key(const wire::AuxSecurityHeader &h, std::uint64_t peer) const {
    // Mode 0: a key for this peer wins over one for any peer.
    int any = -1;
    for (std::size_t i = 0; i < keys_.size(); ++i) {
        const KeySlot &k = keys_[i];
        if (!k.used || !k.d.matches(h, peer))
            continue;
        if (h.key_id_mode != 0 || k.d.peer != 0)
            return static_cast<int>(i);
        any = static_cast<int>(i);
    }
    return any;
}

MacKeyDescriptor *MacSecurityTable::key(int slot) {
    if (slot < 0 || static_cast<std::size_t>(slot) >= keys_.size() ||
        !keys_[static_cast<std::size_t>(slot)].used)
        return nullptr;
    return &keys_[static_cast<std::size_t>(slot)].d;
}

int MacSecurityTable::find_device(std::uint64_t extended_address) const {
    for (std::size_t i = 0; i < devices_.size(); ++i)
        if (devices_[i].used && devices_[i].d.extended_address == extended_address)
            return static_cast<int>(i);
    return -1;
}

int MacSecurityTable::find_device_by_short(std::uint16_t pan_id,
                                           std::uint16_t short_address) const {
    for (std::size_t i = 0; i < devices_.size(); ++i)
        if (devices_[i].used && devices_[i].d.short_address == short_address &&
            devices_[i].d.pan_id == pan_id)
            return static_cast<int>(i);
    return -1;
}

const MacDeviceDescriptor *MacSecurityTable::device(int slot) const {
    if (slot < 0 || static_cast<std::size_t>(slot) >= devices_.size() ||
        !devices_[static_cast<std::size_t>(slot)].used)
        return nullptr;
    return &devices_[static_cast<std::size_t>(slot)].d;
}

std::size_t MacSecurityTable::key_count() const {
    std::size_t n = 0;
    for (const KeySlot &k : keys_)
        n += k.used;
    return n;
}

std::size_t MacSecurityTable::device_count() const {
    std::size_t n = 0;
    for (const DeviceSlot &d : devices_)
        n += d.used;
    return n;
}

bool MacSecurityTable::counter_fresh(int device, int key, std::uint32_t counter) const {
    const DeviceSlot &d = devices_[static_cast<std::size_t>(device)];
    const std::size_t k = static_cast<std::size_t>(key);
    return !d.seen[k] || counter >= d.next[k];
}

void MacSecurityTable::counter_accept(int device, int key, std::uint32_t counter) {
    DeviceSlot &d = devices_[static_cast<std::size_t>(device)];
    const std::size_t k = static_cast<std::size_t>(key);
    d.seen[k] = true;
    d.next[k] = counter + 1;  // the caller refuses 0xffffffff
}

std::uint32_t MacSecurityTable::next_counter(int device, int key) const {
    return devices_[static_cast<std::size_t>(device)].next[static_cast<std::size_t>(key)];
}

void mac_ccm_nonce(std::uint64_t source, std::uint32_t frame_counter, std::uint8_t level,
                   std::uint8_t nonce[13]) {
    for (int i = 0; i < 8; ++i)
        nonce[i] = static_cast<std::uint8_t>(source >> (56 - 8 * i));
    for (int i = 0; i < 4; ++i)
        nonce[8 + i] = static_cast<std::uint8_t>(frame_counter >> (24 - 8 * i));
    nonce[12] = level;
}

bool mac_security_available() {
#ifdef MESHWORK_MAC_HAVE_CCM
    return true;
#else
    return false;
#endif
}

namespace {

Status ccm_star(bool secure, const std::uint8_t key[16], const std::uint8_t nonce[13],
                std::uint8_t level, MutableByteSpan frame, std::size_t a_len) {
    const std::size_t mic = wire::AuxSecurityHeader::mic_size_for(level);
    if (level == 0 || level > 7 || frame.size < a_len + mic ||
        frame.size > wire::MacFrame::kMaxPsduSize)
        return Status(Error::kInvalidArgument);
#ifndef MESHWORK_MAC_HAVE_CCM
    (void)secure, (void)key, (void)nonce;
    return Status(Error::kUnsupported);
#else
    const bool encrypt = (level & 4) != 0;
    const std::size_t body = frame.size - a_len - mic;
    // Without encryption the payload is authenticated data (2015 9.3.5.2: a = MHR || payload).
    const std::size_t add_len = encrypt ? a_len : a_len + body;
    const std::size_t m_len = encrypt ? body : 0;
    std::uint8_t *m = frame.data + add_len;
    std::uint8_t *tag = frame.data + a_len + body;
    std::uint8_t out[wire::MacFrame::kMaxPsduSize];
    mbedtls_ccm_context ctx;
    mbedtls_ccm_init(&ctx);
    int rc = mbedtls_ccm_setkey(&ctx, MBEDTLS_CIPHER_ID_AES, key, 128);
    if (rc == 0) {
        if (secure)
            rc = mbedtls_ccm_star_encrypt_and_tag(&ctx, m_len, nonce, 13, frame.data, add_len, m,
                                                  out, tag, mic);
        else
            rc = mbedtls_ccm_star_auth_decrypt(&ctx, m_len, nonce, 13, frame.data, add_len, m, out,
                                               tag, mic);
    }
    mbedtls_ccm_free(&ctx);
    if (rc == MBEDTLS_ERR_CCM_AUTH_FAILED)
        return Status(Error::kChecksum);
    if (rc != 0)
        return Status(Error::kInvalidArgument);
    if (m_len != 0)
        std::memcpy(m, out, m_len);
    return Status();
#endif
}

}  // namespace

Status mac_ccm_secure(const std::uint8_t key[16], const std::uint8_t nonce[13], std::uint8_t level,
                      MutableByteSpan frame, std::size_t a_len) {
    return ccm_star(true, key, nonce, level, frame, a_len);
}

Status mac_ccm_unsecure(const std::uint8_t key[16], const std::uint8_t nonce[13],
                        std::uint8_t level, MutableByteSpan frame, std::size_t a_len) {
    return ccm_star(false, key, nonce, level, frame, a_len);
}

std::size_t mac_open_payload_size(const wire::MacFrame &f) {
    return f.type == wire::MacFrameType::kMacCommand && !f.payload.empty() ? 1 : 0;
}

}  // namespace meshwork::mac
