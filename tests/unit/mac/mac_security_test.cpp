// AES-CCM* as the MAC applies it: the IEEE 802.15.4-2006 Annex C.2 frames (beacon at MIC-64,
// data at ENC, command at ENC-MIC-64), round trips at every level, tampering, and the key and
// device tables (lookup per key id mode, per-key replay counters).
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "mesh/mac/MacSecurity.h"
#include "wire/Ieee802154.h"

namespace meshwork::mac {
namespace {

const std::uint8_t kAnnexKey[16] = {0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7,
                                    0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf};
constexpr std::uint64_t kAnnexSource = 0xacde480000000001ull;

// Secures `plain` (MPDU without FCS, MIC octets appended as zeros) and returns the result.
std::vector<std::uint8_t> secure(std::vector<std::uint8_t> mpdu, std::uint8_t level,
                                 std::uint32_t counter, std::size_t open) {
    Result<wire::MacFrame> f =
        wire::MacFrame::parse_without_fcs(ByteSpan(mpdu.data(), mpdu.size()));
    EXPECT_TRUE(f);
    if (!f)
        return {};
    const std::size_t a_len = static_cast<std::size_t>(f->payload.data - mpdu.data()) + open;
    std::uint8_t nonce[13];
    mac_ccm_nonce(kAnnexSource, counter, level, nonce);
    EXPECT_TRUE(
        mac_ccm_secure(kAnnexKey, nonce, level, MutableByteSpan(mpdu.data(), mpdu.size()), a_len));
    return mpdu;
}

TEST(MacSecurity, NonceLayout) {
    std::uint8_t n[13];
    mac_ccm_nonce(kAnnexSource, 5, 2, n);
    const std::uint8_t want[13] = {0xac, 0xde, 0x48, 0, 0, 0, 0, 0x01, 0, 0, 0, 5, 2};
    EXPECT_EQ(0, std::memcmp(n, want, 13));
}

TEST(MacSecurity, AnnexC21BeaconMic64) {
    if (!mac_security_available())
        GTEST_SKIP() << "MAC built without mbed TLS: no AES-CCM*";
    // Beacon, security level 2 (MIC-64), key id mode 0, frame counter 5; superframe spec 0xcf55,
    // beacon payload 51 52 53 54; the MIC is eight zeros to be filled.
    std::vector<std::uint8_t> f = {0x08, 0xd0, 0x84, 0x21, 0x43, 0x01, 0x00, 0x00, 0x00,
                                   0x00, 0x48, 0xde, 0xac, 0x02, 0x05, 0x00, 0x00, 0x00,
                                   0x55, 0xcf, 0x00, 0x00, 0x51, 0x52, 0x53, 0x54, 0,
                                   0,    0,    0,    0,    0,    0,    0};
    const std::vector<std::uint8_t> out = secure(f, 2, 5, 0);
    ASSERT_EQ(out.size(), f.size());
    const std::vector<std::uint8_t> mic(out.end() - 8, out.end());
    EXPECT_EQ(mic, (std::vector<std::uint8_t>{0x22, 0x3b, 0xc1, 0xec, 0x84, 0x1a, 0xb5, 0x53}));
    EXPECT_TRUE(std::equal(f.begin(), f.end() - 8, out.begin()));  // nothing encrypted
}

TEST(MacSecurity, AnnexC22DataEnc) {
    if (!mac_security_available())
        GTEST_SKIP() << "MAC built without mbed TLS: no AES-CCM*";
    std::vector<std::uint8_t> f = {0x69, 0xdc, 0x84, 0x21, 0x43, 0x02, 0x00, 0x00, 0x00, 0x00,
                                   0x48, 0xde, 0xac, 0x01, 0x00, 0x00, 0x00, 0x00, 0x48, 0xde,
                                   0xac, 0x04, 0x05, 0x00, 0x00, 0x00, 0x61, 0x62, 0x63, 0x64};
    const std::vector<std::uint8_t> out = secure(f, 4, 5, 0);
    ASSERT_EQ(out.size(), f.size());
    const std::vector<std::uint8_t> payload(out.end() - 4, out.end());
    EXPECT_EQ(payload, (std::vector<std::uint8_t>{0xd4, 0x3e, 0x02, 0x2b}));
}

TEST(MacSecurity, AnnexC23CommandEncMic64) {
    if (!mac_security_available())
        GTEST_SKIP() << "MAC built without mbed TLS: no AES-CCM*";
    // Association request (command id 0x01 in the clear), capability 0xce encrypted.
    std::vector<std::uint8_t> f = {0x2b, 0xdc, 0x84, 0x21, 0x43, 0x02, 0x00, 0x00, 0x00, 0x00,
                                   0x48, 0xde, 0xac, 0xff, 0xff, 0x01, 0x00, 0x00, 0x00, 0x00,
                                   0x48, 0xde, 0xac, 0x06, 0x05, 0x00, 0x00, 0x00, 0x01, 0xce,
                                   0,    0,    0,    0,    0,    0,    0,    0};
    Result<wire::MacFrame> parsed = wire::MacFrame::parse_without_fcs(ByteSpan(f.data(), f.size()));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(mac_open_payload_size(*parsed), 1u);
    const std::vector<std::uint8_t> out = secure(f, 6, 5, 1);
    ASSERT_EQ(out.size(), f.size());
    const std::vector<std::uint8_t> tail(out.end() - 10, out.end());
    EXPECT_EQ(tail, (std::vector<std::uint8_t>{0x01, 0xd8, 0x4f, 0xde, 0x52, 0x90, 0x61, 0xf9, 0xc6,
                                               0xf1}));
}

TEST(MacSecurity, RoundTripEveryLevelAndTamperDetected) {
    if (!mac_security_available())
        GTEST_SKIP() << "MAC built without mbed TLS: no AES-CCM*";
    for (std::uint8_t level = 1; level <= 7; ++level) {
        const std::size_t mic = wire::AuxSecurityHeader::mic_size_for(level);
        std::vector<std::uint8_t> frame(20 + 30 + mic);
        for (std::size_t i = 0; i < 50; ++i)
            frame[i] = static_cast<std::uint8_t>(i * 13 + level);
        const std::vector<std::uint8_t> plain = frame;
        std::uint8_t nonce[13];
        mac_ccm_nonce(0x0102030405060708ull, 1000 + level, level, nonce);
        ASSERT_TRUE(mac_ccm_secure(kAnnexKey, nonce, level,
                                   MutableByteSpan(frame.data(), frame.size()), 20));
        const bool encrypted = (level & 4) != 0;
        EXPECT_EQ(std::equal(plain.begin(), plain.begin() + 50, frame.begin()), !encrypted)
            << int(level);
        std::vector<std::uint8_t> copy = frame;
        ASSERT_TRUE(mac_ccm_unsecure(kAnnexKey, nonce, level,
                                     MutableByteSpan(copy.data(), copy.size()), 20))
            << int(level);
        EXPECT_TRUE(std::equal(plain.begin(), plain.begin() + 50, copy.begin())) << int(level);
        if (mic == 0)
            continue;  // ENC alone has no integrity
        copy = frame;
        copy[3] ^= 1;  // header octet
        EXPECT_EQ(
            mac_ccm_unsecure(kAnnexKey, nonce, level, MutableByteSpan(copy.data(), copy.size()), 20)
                .error(),
            Error::kChecksum)
            << int(level);
        copy = frame;
        copy[25] ^= 0x80;  // payload octet
        EXPECT_EQ(
            mac_ccm_unsecure(kAnnexKey, nonce, level, MutableByteSpan(copy.data(), copy.size()), 20)
                .error(),
            Error::kChecksum);
        std::uint8_t other[16];
        std::memcpy(other, kAnnexKey, 16);
        other[0] ^= 1;
        copy = frame;
        EXPECT_EQ(
            mac_ccm_unsecure(other, nonce, level, MutableByteSpan(copy.data(), copy.size()), 20)
                .error(),
            Error::kChecksum);
    }
    std::uint8_t buf[8] = {};
    std::uint8_t nonce[13] = {};
    EXPECT_EQ(mac_ccm_secure(kAnnexKey, nonce, 0, MutableByteSpan(buf, 8), 0).error(),
              Error::kInvalidArgument);
    EXPECT_EQ(mac_ccm_secure(kAnnexKey, nonce, 7, MutableByteSpan(buf, 8), 0).error(),
              Error::kInvalidArgument);  // shorter than its MIC-128
    std::vector<std::uint8_t> big(128);
    EXPECT_EQ(
        mac_ccm_unsecure(kAnnexKey, nonce, 5, MutableByteSpan(big.data(), big.size()), 10).error(),
        Error::kInvalidArgument);  // longer than any PSDU
}

wire::AuxSecurityHeader header(std::uint8_t mode, std::uint8_t index, std::uint8_t src0 = 0) {
    wire::AuxSecurityHeader h;
    h.security_level = 5;
    h.key_id_mode = mode;
    h.key_index = index;
    h.key_source[0] = src0;
    return h;
}

TEST(MacSecurity, KeyLookupByEveryKeyIdMode) {
    MacSecurityTable t;
    MacKeyDescriptor k0;
    k0.key_id_mode = 0;
    k0.peer = 0x1111;
    k0.key[0] = 0;
    MacKeyDescriptor k0any = k0;
    k0any.peer = 0;
    k0any.key[0] = 1;
    MacKeyDescriptor k1;
    k1.key_id_mode = 1;
    k1.key_index = 7;
    k1.key[0] = 2;
    MacKeyDescriptor k2;
    k2.key_id_mode = 2;
    k2.key_index = 7;
    k2.key_source[0] = 0xaa;
    k2.key[0] = 3;
    MacKeyDescriptor k3 = k2;
    k3.key_id_mode = 3;
    k3.key[0] = 4;
    for (const auto &k : {k0, k0any, k1, k2, k3})
        ASSERT_TRUE(t.add_key(k));
    EXPECT_EQ(t.key_count(), 5u);
    auto key_byte = [&](const wire::AuxSecurityHeader &h, std::uint64_t peer) {
        return t.key(t.find_key(h, peer)) ? t.key(t.find_key(h, peer))->key[0] : 0xff;
    };
    EXPECT_EQ(key_byte(header(0, 0), 0x1111), 0);  // the peer's own key first
    EXPECT_EQ(key_byte(header(0, 0), 0x2222), 1);
    EXPECT_EQ(key_byte(header(1, 7), 0), 2);
    EXPECT_EQ(key_byte(header(1, 8), 0), 0xff);
    EXPECT_EQ(key_byte(header(2, 7, 0xaa), 0), 3);
    EXPECT_EQ(key_byte(header(2, 7, 0xab), 0), 0xff);
    EXPECT_EQ(key_byte(header(3, 7, 0xaa), 0), 4);
    // Same identifier replaces; index 0 is not a valid identifier in modes 1-3.
    k1.key[0] = 9;
    ASSERT_TRUE(t.add_key(k1));
    EXPECT_EQ(t.key_count(), 5u);
    EXPECT_EQ(key_byte(header(1, 7), 0), 9);
    MacKeyDescriptor bad;
    bad.key_index = 0;
    EXPECT_EQ(t.add_key(bad).error(), Error::kInvalidArgument);
    EXPECT_TRUE(t.remove_key(1, k1.key_source, 7));
    EXPECT_EQ(t.remove_key(1, k1.key_source, 7).error(), Error::kNotFound);
    for (std::uint8_t i = 0; i < 4; ++i) {
        MacKeyDescriptor k;
        k.key_index = static_cast<std::uint8_t>(20 + i);
        ASSERT_TRUE(t.add_key(k));
    }
    MacKeyDescriptor full;
    full.key_index = 99;
    EXPECT_EQ(t.add_key(full).error(), Error::kNoSpace);
}

TEST(MacSecurity, ReplayCountersArePerDeviceAndKey) {
    MacSecurityTable t;
    MacKeyDescriptor a, b;
    a.key_index = 1;
    b.key_index = 2;
    ASSERT_TRUE(t.add_key(a));
    ASSERT_TRUE(t.add_key(b));
    MacDeviceDescriptor d;
    d.extended_address = 0x42;
    d.short_address = 0x0007;
    d.pan_id = 0x1234;
    ASSERT_TRUE(t.add_device(d));
    EXPECT_EQ(t.add_device(MacDeviceDescriptor{}).error(), Error::kInvalidArgument);
    const int dev = t.find_device(0x42);
    ASSERT_GE(dev, 0);
    EXPECT_EQ(t.find_device_by_short(0x1234, 7), dev);
    EXPECT_EQ(t.find_device_by_short(0x1235, 7), -1);
    const int ka = t.find_key(header(1, 1), 0), kb = t.find_key(header(1, 2), 0);
    EXPECT_TRUE(t.counter_fresh(dev, ka, 0));
    t.counter_accept(dev, ka, 10);
    EXPECT_FALSE(t.counter_fresh(dev, ka, 10));
    EXPECT_FALSE(t.counter_fresh(dev, ka, 3));
    EXPECT_TRUE(t.counter_fresh(dev, ka, 11));
    EXPECT_TRUE(t.counter_fresh(dev, kb, 0));  // a new key starts afresh
    t.counter_accept(dev, kb, 0);
    EXPECT_FALSE(t.counter_fresh(dev, kb, 0));
    EXPECT_FALSE(t.counter_fresh(dev, ka, 10));  // the old key's counter is kept
    // Replacing a key forgets its counters.
    ASSERT_TRUE(t.add_key(a));
    EXPECT_TRUE(t.counter_fresh(dev, ka, 0));
}

}  // namespace
}  // namespace meshwork::mac
