// DNS codec: exact query bytes, response parsing (compression, CNAME chains, errors) and
// totality on malformed input.
#include "DnsMessage.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

using namespace meshwork::dns;

namespace {

using Bytes = std::vector<uint8_t>;

void put16(Bytes &b, uint16_t v) {
    b.push_back(uint8_t(v >> 8));
    b.push_back(uint8_t(v));
}

void put32(Bytes &b, uint32_t v) {
    put16(b, uint16_t(v >> 16));
    put16(b, uint16_t(v));
}

void put_name(Bytes &b, const char *name) {
    while (*name) {
        const char *dot = strchr(name, '.');
        size_t n = dot ? size_t(dot - name) : strlen(name);
        b.push_back(uint8_t(n));
        b.insert(b.end(), name, name + n);
        name += n + (dot ? 1 : 0);
    }
    b.push_back(0);
}

// A response header plus the echoed question for `name`.
Bytes response(uint16_t id, const char *name, uint16_t qtype, uint16_t ancount,
               uint16_t flags = 0x8180) {
    Bytes b;
    put16(b, id);
    put16(b, flags);
    put16(b, 1);
    put16(b, ancount);
    put16(b, 0);
    put16(b, 0);
    put_name(b, name);
    put16(b, qtype);
    put16(b, kClassIn);
    return b;
}

void answer_a(Bytes &b, uint32_t ttl, std::initializer_list<uint8_t> addr, uint16_t type = kTypeA) {
    put16(b, 0xC00C);  // pointer to the question name
    put16(b, type);
    put16(b, kClassIn);
    put32(b, ttl);
    put16(b, uint16_t(addr.size()));
    b.insert(b.end(), addr.begin(), addr.end());
}

TEST(DnsMessage, EncodeQueryBytes) {
    uint8_t out[512];
    size_t n = 0;
    ASSERT_EQ(encode_query(0x1234, "www.example.com", kTypeA, out, sizeof(out), &n),
              EncodeStatus::kOk);
    const uint8_t expect[] = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
                              0x00, 3,    'w',  'w',  'w',  7,    'e',  'x',  'a',  'm',  'p',
                              'l',  'e',  3,    'c',  'o',  'm',  0,    0x00, 0x01, 0x00, 0x01};
    ASSERT_EQ(n, sizeof(expect));
    EXPECT_EQ(memcmp(out, expect, n), 0);

    // A fully qualified name (trailing dot) encodes identically.
    uint8_t out2[512];
    size_t n2 = 0;
    ASSERT_EQ(encode_query(0x1234, "www.example.com.", kTypeA, out2, sizeof(out2), &n2),
              EncodeStatus::kOk);
    ASSERT_EQ(n2, n);
    EXPECT_EQ(memcmp(out, out2, n), 0);

    ASSERT_EQ(encode_query(1, "host", kTypeAaaa, out, sizeof(out), &n), EncodeStatus::kOk);
    EXPECT_EQ(out[n - 3], kTypeAaaa);
}

TEST(DnsMessage, EncodeRejectsBadNames) {
    uint8_t out[512];
    size_t n = 0;
    EXPECT_EQ(encode_query(1, "", kTypeA, out, sizeof(out), &n), EncodeStatus::kBadName);
    EXPECT_EQ(encode_query(1, nullptr, kTypeA, out, sizeof(out), &n), EncodeStatus::kBadName);
    EXPECT_EQ(encode_query(1, "a..b", kTypeA, out, sizeof(out), &n), EncodeStatus::kBadName);
    EXPECT_EQ(encode_query(1, ".a", kTypeA, out, sizeof(out), &n), EncodeStatus::kBadName);
    EXPECT_EQ(encode_query(1, "a b", kTypeA, out, sizeof(out), &n), EncodeStatus::kBadName);
    std::string label63(63, 'x'), label64(64, 'x');
    EXPECT_EQ(encode_query(1, label63.c_str(), kTypeA, out, sizeof(out), &n), EncodeStatus::kOk);
    EXPECT_EQ(encode_query(1, label64.c_str(), kTypeA, out, sizeof(out), &n),
              EncodeStatus::kBadName);
    std::string long_name;
    while (long_name.size() < 256) {
        long_name += "abcdefg.";
    }
    long_name.resize(256);
    EXPECT_EQ(encode_query(1, long_name.c_str(), kTypeA, out, sizeof(out), &n),
              EncodeStatus::kBadName);
    long_name.resize(255);
    if (long_name.back() == '.') {
        long_name.back() = 'z';
    }
    EXPECT_EQ(encode_query(1, long_name.c_str(), kTypeA, out, sizeof(out), &n), EncodeStatus::kOk);
    EXPECT_EQ(encode_query(1, "example.com", kTypeA, out, 20, &n), EncodeStatus::kNoSpace);
}

TEST(DnsMessage, ParseAnswers) {
    Bytes b = response(7, "example.com", kTypeA, 2);
    answer_a(b, 300, {192, 0, 2, 1});
    answer_a(b, 60, {192, 0, 2, 2});
    Record recs[4];
    size_t count = 0;
    ASSERT_EQ(parse_response(b.data(), b.size(), 7, "Example.COM", kTypeA, recs, 4, &count),
              ParseStatus::kOk);
    ASSERT_EQ(count, 2u);
    EXPECT_EQ(recs[0].addr.version, NSAPI_IPv4);
    EXPECT_EQ(recs[0].addr.bytes[3], 1);
    EXPECT_EQ(recs[0].ttl, 300u);
    EXPECT_EQ(recs[1].addr.bytes[3], 2);
    EXPECT_EQ(recs[1].ttl, 60u);

    // The caller's limit is honoured.
    ASSERT_EQ(parse_response(b.data(), b.size(), 7, "example.com.", kTypeA, recs, 1, &count),
              ParseStatus::kOk);
    EXPECT_EQ(count, 1u);
}

TEST(DnsMessage, ParseCnameChainAndAaaa) {
    Bytes b = response(9, "www.example.org", kTypeAaaa, 2);
    // CNAME www.example.org -> host.example.org (compressed against the question).
    put16(b, 0xC00C);
    put16(b, kTypeCname);
    put16(b, kClassIn);
    put32(b, 100);
    Bytes target;
    target.push_back(4);
    target.insert(target.end(), {'h', 'o', 's', 't'});
    target.push_back(0xC0);
    target.push_back(16);  // "example.org" inside the question
    put16(b, uint16_t(target.size()));
    size_t host_offset = b.size();
    b.insert(b.end(), target.begin(), target.end());
    // AAAA for host.example.org via a pointer to the CNAME target.
    put16(b, uint16_t(0xC000 | host_offset));
    put16(b, kTypeAaaa);
    put16(b, kClassIn);
    put32(b, 0x80000001u);  // top bit set: treated as zero
    put16(b, 16);
    for (int i = 0; i < 16; i++) {
        b.push_back(uint8_t(i == 15 ? 1 : (i < 2 ? 0x20 : 0)));
    }
    Record recs[2];
    size_t count = 0;
    ASSERT_EQ(parse_response(b.data(), b.size(), 9, "www.example.org", kTypeAaaa, recs, 2, &count),
              ParseStatus::kOk);
    ASSERT_EQ(count, 1u);
    EXPECT_EQ(recs[0].addr.version, NSAPI_IPv6);
    EXPECT_EQ(recs[0].addr.bytes[15], 1);
    EXPECT_EQ(recs[0].ttl, 0u);
}

TEST(DnsMessage, ParseErrorsAndMismatches) {
    Record recs[2];
    size_t count = 0;
    Bytes nx = response(3, "nope.test", kTypeA, 0, 0x8183);
    EXPECT_EQ(parse_response(nx.data(), nx.size(), 3, "nope.test", kTypeA, recs, 2, &count),
              ParseStatus::kNameError);
    Bytes fail = response(3, "x.test", kTypeA, 0, 0x8182);
    EXPECT_EQ(parse_response(fail.data(), fail.size(), 3, "x.test", kTypeA, recs, 2, &count),
              ParseStatus::kServerFailure);
    Bytes ok = response(3, "x.test", kTypeA, 1);
    answer_a(ok, 5, {1, 2, 3, 4});
    EXPECT_EQ(parse_response(ok.data(), ok.size(), 4, "x.test", kTypeA, recs, 2, &count),
              ParseStatus::kNotResponse)
        << "wrong id";
    EXPECT_EQ(parse_response(ok.data(), ok.size(), 3, "y.test", kTypeA, recs, 2, &count),
              ParseStatus::kNotResponse)
        << "other question";
    EXPECT_EQ(parse_response(ok.data(), ok.size(), 3, "x.test", kTypeAaaa, recs, 2, &count),
              ParseStatus::kNotResponse)
        << "other type";
    EXPECT_EQ(parse_response(ok.data(), ok.size(), 3, "x.tes", kTypeA, recs, 2, &count),
              ParseStatus::kNotResponse)
        << "prefix of the name";
    Bytes query = ok;
    query[2] &= 0x7F;  // QR clear
    EXPECT_EQ(parse_response(query.data(), query.size(), 3, "x.test", kTypeA, recs, 2, &count),
              ParseStatus::kNotResponse);
    // An A record whose length is not 4 is malformed.
    Bytes bad = response(3, "x.test", kTypeA, 1);
    answer_a(bad, 5, {1, 2, 3});
    EXPECT_EQ(parse_response(bad.data(), bad.size(), 3, "x.test", kTypeA, recs, 2, &count),
              ParseStatus::kMalformed);
    // Truncated with nothing usable.
    Bytes tc = response(3, "x.test", kTypeA, 0, 0x8380);
    EXPECT_EQ(parse_response(tc.data(), tc.size(), 3, "x.test", kTypeA, recs, 2, &count),
              ParseStatus::kServerFailure);
    // An empty answer is a valid "no data" response.
    Bytes nodata = response(3, "x.test", kTypeA, 0);
    EXPECT_EQ(parse_response(nodata.data(), nodata.size(), 3, "x.test", kTypeA, recs, 2, &count),
              ParseStatus::kOk);
    EXPECT_EQ(count, 0u);
}

TEST(DnsMessage, CompressionLoopsAreRejected) {
    Bytes b = response(5, "a.test", kTypeA, 1);
    size_t self = b.size();
    put16(b, uint16_t(0xC000 | self));  // points at itself
    put16(b, kTypeA);
    put16(b, kClassIn);
    put32(b, 1);
    put16(b, 4);
    b.insert(b.end(), {1, 1, 1, 1});
    Record recs[1];
    size_t count = 0;
    EXPECT_EQ(parse_response(b.data(), b.size(), 5, "a.test", kTypeA, recs, 1, &count),
              ParseStatus::kMalformed);

    Bytes fwd = response(5, "a.test", kTypeA, 1);
    put16(fwd, uint16_t(0xC000 | (fwd.size() + 4)));  // forward pointer
    put16(fwd, kTypeA);
    EXPECT_EQ(parse_response(fwd.data(), fwd.size(), 5, "a.test", kTypeA, recs, 1, &count),
              ParseStatus::kMalformed);
}

TEST(DnsMessage, EveryTruncationIsHandled) {
    Bytes b = response(11, "trunc.example", kTypeA, 2);
    answer_a(b, 30, {10, 0, 0, 1});
    answer_a(b, 30, {10, 0, 0, 2});
    Record recs[2];
    size_t count = 0;
    for (size_t len = 0; len < b.size(); len++) {
        Bytes prefix(b.begin(), b.begin() + long(len));
        ParseStatus st = parse_response(prefix.data(), prefix.size(), 11, "trunc.example", kTypeA,
                                        recs, 2, &count);
        EXPECT_NE(st, ParseStatus::kOk) << "length " << len;
    }
    EXPECT_EQ(parse_response(b.data(), b.size(), 11, "trunc.example", kTypeA, recs, 2, &count),
              ParseStatus::kOk);
    EXPECT_EQ(count, 2u);
}

TEST(DnsMessage, RandomBytesNeverCrash) {
    std::mt19937 rng(7);
    Bytes base = response(1, "r.test", kTypeA, 3);
    answer_a(base, 1, {1, 2, 3, 4});
    answer_a(base, 1, {1, 2, 3, 5});
    answer_a(base, 1, {1, 2, 3, 6});
    Record recs[4];
    size_t count = 0;
    for (int i = 0; i < 20000; i++) {
        Bytes b = base;
        int flips = 1 + int(rng() % 6);
        for (int f = 0; f < flips; f++) {
            b[rng() % b.size()] = uint8_t(rng());
        }
        b.resize(rng() % (b.size() + 1));
        parse_response(b.data(), b.size(), 1, "r.test", kTypeA, recs, 4, &count);
        ASSERT_LE(count, 4u);
    }
}

}  // namespace
