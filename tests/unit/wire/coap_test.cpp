#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "wire/Coap.h"

using namespace meshwork;
using namespace meshwork::wire;

// RFC 7252 appendix A, figure 16: CON GET /temperature, MID 0x7d34, and the piggybacked
// 2.05 Content "22.3 C" response.
TEST(Coap, Rfc7252AppendixAGet) {
    std::vector<std::uint8_t> req = {0x40, 0x01, 0x7d, 0x34, 0xbb};
    const char *path = "temperature";
    req.insert(req.end(), path, path + 11);
    Result<CoapMessage> m = CoapMessage::parse(ByteSpan(req.data(), req.size()));
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->type(), CoapType::kConfirmable);
    EXPECT_EQ(m->code(), CoapCode::kGet);
    EXPECT_TRUE(m->is_request());
    EXPECT_EQ(m->message_id(), 0x7d34);
    EXPECT_TRUE(m->token().empty());
    EXPECT_EQ(m->option_count(), 1u);
    char buf[32];
    EXPECT_EQ(m->uri_path(buf, sizeof buf), 11u);
    EXPECT_STREQ(buf, "temperature");
    EXPECT_TRUE(m->payload().empty());

    std::uint8_t out[32];
    Result<std::size_t> n =
        CoapBuilder(out, CoapType::kConfirmable, CoapCode::kGet, 0x7d34, ByteSpan())
            .uri_path("/temperature")
            .finish();
    ASSERT_TRUE(n.ok());
    EXPECT_TRUE(ByteSpan(out, *n).equals(ByteSpan(req.data(), req.size())));

    const std::uint8_t rsp[] = {0x60, 0x45, 0x7d, 0x34, 0xff, '2', '2', '.', '3', ' ', 'C'};
    Result<CoapMessage> r = CoapMessage::parse(ByteSpan(rsp));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->type(), CoapType::kAcknowledgement);
    EXPECT_EQ(r->code_class(), 2);
    EXPECT_EQ(r->code_detail(), 5);
    EXPECT_EQ(std::string(reinterpret_cast<const char *>(r->payload().data), r->payload().size),
              "22.3 C");
}

TEST(Coap, TmfAddressSolicitWithTokenOptionsAndExtensions) {
    const std::uint8_t token[] = {0xde, 0xad, 0xbe, 0xef};
    const std::uint8_t payload[] = {0x00, 0x08, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
    std::vector<std::uint8_t> big(300, 'x');
    std::uint8_t out[512];
    Result<std::size_t> n =
        CoapBuilder(out, CoapType::kConfirmable, CoapCode::kPost, 0x1234, ByteSpan(token))
            .uri_path("a/as")
            .option_uint(CoapOption::kContentFormat, 0)
            .option(CoapOption::kProxyUri, ByteSpan(big.data(), 20))  // delta 23 -> ext 13
            .option(1000, ByteSpan(big.data(), big.size()))           // delta, length ext 14
            .payload(ByteSpan(payload))
            .finish();
    ASSERT_TRUE(n.ok()) << error_name(n.error());
    EXPECT_EQ(out[0], 0x44);
    EXPECT_EQ(out[8], 0xb1);  // Uri-Path (11), length 1: "a"
    Result<CoapMessage> m = CoapMessage::parse(ByteSpan(out, *n));
    ASSERT_TRUE(m.ok()) << error_name(m.error());
    EXPECT_TRUE(m->token().equals(ByteSpan(token)));
    char path[16];
    m->uri_path(path, sizeof path);
    EXPECT_STREQ(path, "a/as");
    std::vector<std::uint16_t> numbers;
    m->for_each_option([&](const CoapOptionValue &o) { numbers.push_back(o.number); });
    EXPECT_EQ(numbers, (std::vector<std::uint16_t>{11, 11, 12, 35, 1000}));
    CoapOptionValue cf;
    ASSERT_TRUE(m->find(CoapOption::kContentFormat, &cf));
    EXPECT_EQ(cf.value.size, 0u);  // uint 0 is the empty value
    CoapOptionValue o;
    ASSERT_TRUE(m->find(1000, &o));
    EXPECT_EQ(o.value.size, 300u);
    EXPECT_TRUE(m->payload().equals(ByteSpan(payload)));
    // Every cut before the payload is rejected or yields fewer options and no payload; a cut
    // inside the payload shortens it (CoAP has no length field: UDP delimits the message).
    const std::size_t marker = *n - sizeof payload - 1;
    EXPECT_EQ(out[marker], 0xff);
    for (std::size_t k = 0; k < *n; ++k) {
        Result<CoapMessage> t = CoapMessage::parse(ByteSpan(out, k));
        if (k == marker) {
            ASSERT_TRUE(t.ok());
            EXPECT_EQ(t->option_count(), 5u);
        } else if (k < marker) {
            if (t.ok()) {
                EXPECT_TRUE(t->payload().empty()) << k;
                EXPECT_LT(t->option_count(), 5u) << k;
            }
        } else if (k == marker + 1) {
            EXPECT_EQ(t.error(), Error::kMalformed);
        } else {
            ASSERT_TRUE(t.ok()) << k;
            EXPECT_EQ(t->payload().size, k - marker - 1);
        }
    }
    EXPECT_FALSE(CoapMessage::parse(ByteSpan(out, 3)).ok());
}

TEST(Coap, Block2) {
    Result<CoapBlock> b = CoapBlock::from_uint(0x2a);  // NUM 2, M 1, SZX 2 (64 bytes)
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(b->num, 2u);
    EXPECT_TRUE(b->more);
    EXPECT_EQ(b->size(), 64u);
    EXPECT_EQ(b->to_uint(), 0x2au);
    EXPECT_EQ(CoapBlock::from_uint(7).error(), Error::kMalformed);
    std::uint8_t out[16];
    Result<std::size_t> n =
        CoapBuilder(out, CoapType::kAcknowledgement, CoapCode::kContent, 1, ByteSpan())
            .option_uint(CoapOption::kBlock2, b->to_uint())
            .finish();
    ASSERT_TRUE(n.ok());
    Result<CoapMessage> m = CoapMessage::parse(ByteSpan(out, *n));
    ASSERT_TRUE(m.ok());
    CoapOptionValue o;
    ASSERT_TRUE(m->find(CoapOption::kBlock2, &o));
    EXPECT_EQ(o.as_uint(), 0x2au);
}

TEST(Coap, FormatErrors) {
    const std::uint8_t v2[] = {0x80, 0x01, 0, 0};
    EXPECT_EQ(CoapMessage::parse(ByteSpan(v2)).error(), Error::kUnsupported);
    const std::uint8_t tkl9[] = {0x49, 0x01, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    EXPECT_EQ(CoapMessage::parse(ByteSpan(tkl9)).error(), Error::kMalformed);
    const std::uint8_t empty_with_token[] = {0x41, 0x00, 0, 0, 1};
    EXPECT_EQ(CoapMessage::parse(ByteSpan(empty_with_token)).error(), Error::kMalformed);
    const std::uint8_t marker_no_payload[] = {0x40, 0x01, 0, 0, 0xff};
    EXPECT_EQ(CoapMessage::parse(ByteSpan(marker_no_payload)).error(), Error::kMalformed);
    const std::uint8_t delta15[] = {0x40, 0x01, 0, 0, 0xf1, 0x00};
    EXPECT_EQ(CoapMessage::parse(ByteSpan(delta15)).error(), Error::kMalformed);
    const std::uint8_t len_past_end[] = {0x40, 0x01, 0, 0, 0xb5, 'a'};
    EXPECT_EQ(CoapMessage::parse(ByteSpan(len_past_end)).error(), Error::kTruncated);
    const std::uint8_t reserved_class[] = {0x40, 0xe0, 0, 0};
    EXPECT_EQ(CoapMessage::parse(ByteSpan(reserved_class)).error(), Error::kMalformed);
    const std::uint8_t empty[] = {0x70, 0x00, 0x12, 0x34};  // RST
    EXPECT_TRUE(CoapMessage::parse(ByteSpan(empty)).ok());
    // Builder: options out of order, too small a buffer.
    std::uint8_t out[8];
    EXPECT_EQ(CoapBuilder(out, CoapType::kConfirmable, CoapCode::kGet, 0, ByteSpan())
                  .option(12, ByteSpan())
                  .option(11, ByteSpan())
                  .finish()
                  .error(),
              Error::kInvalidArgument);
    EXPECT_EQ(CoapBuilder(out, CoapType::kConfirmable, CoapCode::kGet, 0, ByteSpan())
                  .uri_path("abcdefgh")
                  .finish()
                  .error(),
              Error::kNoSpace);
    // A type that is none of the four (a bad cast) is refused, not masked into the header.
    EXPECT_EQ(
        CoapBuilder(out, static_cast<CoapType>(4), CoapCode::kGet, 0, ByteSpan()).finish().error(),
        Error::kInvalidArgument);
}

// The other message shapes of RFC 7252 appendix A: a separate response (request with a token, an
// empty ACK, then a CON 2.05 Content echoing the token, acknowledged by an empty ACK) and a
// non-confirmable request answered by a NON response; a Reset is empty as well (4.2, 4.3).
TEST(Coap, Rfc7252AppendixASeparateAndNonConfirmable) {
    const std::uint8_t token[] = {0x73};
    std::uint8_t out[32];
    Result<std::size_t> n =
        CoapBuilder(out, CoapType::kConfirmable, CoapCode::kGet, 0x7a10, ByteSpan(token))
            .uri_path("temperature")
            .finish();
    ASSERT_TRUE(n.ok());
    std::vector<std::uint8_t> req = {0x41, 0x01, 0x7a, 0x10, 0x73, 0xbb};
    const char *path = "temperature";
    req.insert(req.end(), path, path + 11);
    EXPECT_TRUE(ByteSpan(out, *n).equals(ByteSpan(req.data(), req.size())));

    const std::uint8_t empty_ack[] = {0x60, 0x00, 0x7a, 0x10};
    Result<CoapMessage> a = CoapMessage::parse(ByteSpan(empty_ack));
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a->type(), CoapType::kAcknowledgement);
    EXPECT_EQ(a->code(), 0);
    EXPECT_FALSE(a->is_request());
    EXPECT_EQ(a->message_id(), 0x7a10);
    EXPECT_TRUE(a->token().empty());
    EXPECT_EQ(a->option_count(), 0u);
    n = CoapBuilder(out, CoapType::kAcknowledgement, CoapCode::kEmpty, 0x7a10, ByteSpan()).finish();
    ASSERT_TRUE(n.ok());
    EXPECT_TRUE(ByteSpan(out, *n).equals(ByteSpan(empty_ack)));

    const std::uint8_t sep[] = {0x41, 0x45, 0x23, 0xbb, 0x73, 0xff, '2', '2', '.', '5', ' ', 'C'};
    Result<CoapMessage> s = CoapMessage::parse(ByteSpan(sep));
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s->type(), CoapType::kConfirmable);
    EXPECT_EQ(s->code_class(), 2);
    EXPECT_EQ(s->code_detail(), 5);
    EXPECT_EQ(s->message_id(), 0x23bb);
    EXPECT_TRUE(s->token().equals(ByteSpan(token)));
    EXPECT_EQ(s->payload().size, 6u);
    const std::uint8_t text[] = {'2', '2', '.', '5', ' ', 'C'};
    n = CoapBuilder(out, CoapType::kConfirmable, s->code(), 0x23bb, ByteSpan(token))
            .payload(ByteSpan(text))
            .finish();
    ASSERT_TRUE(n.ok());
    EXPECT_TRUE(ByteSpan(out, *n).equals(ByteSpan(sep)));

    const std::uint8_t non_req[] = {0x51, 0x01, 0x7a, 0x11, 0x74, 0xbb, 't', 'e', 'm',
                                    'p',  'e',  'r',  'a',  't',  'u',  'r', 'e'};
    Result<CoapMessage> nr = CoapMessage::parse(ByteSpan(non_req));
    ASSERT_TRUE(nr.ok());
    EXPECT_EQ(nr->type(), CoapType::kNonConfirmable);
    EXPECT_TRUE(nr->is_request());
    EXPECT_EQ(nr->message_id(), 0x7a11);
    char buf[32];
    EXPECT_EQ(nr->uri_path(buf, sizeof buf), 11u);
    EXPECT_STREQ(buf, "temperature");

    const std::uint8_t rst[] = {0x70, 0x00, 0x23, 0xbc};
    Result<CoapMessage> r = CoapMessage::parse(ByteSpan(rst));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->type(), CoapType::kReset);
    // An empty message with anything after the message ID is a format error (4.1).
    const std::uint8_t bad_empty[] = {0x70, 0x00, 0x23, 0xbc, 0xff};
    EXPECT_FALSE(CoapMessage::parse(ByteSpan(bad_empty)).ok());
}

// The shared helpers of the vocabulary: uint values (RFC 7252 3.2), Block values from option
// bytes (RFC 7959 2.2), code classes (12.1) and critical option numbers (5.4.1).
TEST(Coap, UintBlockAndClassHelpers) {
    std::uint8_t b[4];
    EXPECT_EQ(coap_encode_uint(0, b), 0u);
    ASSERT_EQ(coap_encode_uint(0x1234, b), 2u);
    EXPECT_EQ(b[0], 0x12);
    EXPECT_EQ(b[1], 0x34);
    ASSERT_EQ(coap_encode_uint(0x01000000, b), 4u);
    EXPECT_EQ(coap_decode_uint(ByteSpan(b, 4)), 0x01000000u);
    EXPECT_EQ(coap_decode_uint(ByteSpan()), 0u);
    const std::uint8_t five[] = {1, 2, 3, 4, 5};
    EXPECT_EQ(coap_decode_uint(ByteSpan(five)), UINT32_MAX);

    const std::uint8_t block[] = {0x01, 0x2e};  // NUM 18, M 1, SZX 6
    Result<CoapBlock> k = CoapBlock::parse(ByteSpan(block));
    ASSERT_TRUE(k.ok());
    EXPECT_EQ(k->num, 18u);
    EXPECT_TRUE(k->more);
    EXPECT_EQ(k->size(), 1024u);
    EXPECT_EQ(CoapBlock::parse(ByteSpan(five, 4)).error(), Error::kMalformed);  // over 3 bytes
    const std::uint8_t reserved[] = {0x0f};
    EXPECT_EQ(CoapBlock::parse(ByteSpan(reserved)).error(), Error::kMalformed);
    Result<CoapBlock> zero = CoapBlock::parse(ByteSpan());  // empty: NUM 0, M 0, SZX 0
    ASSERT_TRUE(zero.ok());
    EXPECT_EQ(zero->size(), 16u);
    EXPECT_EQ(CoapBlock{}.size(), 1024u);

    EXPECT_TRUE(CoapCode::is_request(CoapCode::kDelete));
    EXPECT_FALSE(CoapCode::is_request(CoapCode::kEmpty));
    EXPECT_TRUE(CoapCode::is_response(CoapCode::kContent));
    EXPECT_TRUE(CoapCode::is_response(CoapCode::kServiceUnavailable));
    EXPECT_FALSE(CoapCode::is_response(CoapCode::make(6, 0)));
    EXPECT_EQ(CoapCode::kRequestEntityTooLarge, 0x8d);
    EXPECT_TRUE(CoapOption::is_critical(CoapOption::kUriPath));
    EXPECT_TRUE(CoapOption::is_critical(CoapOption::kBlock1));
    EXPECT_FALSE(CoapOption::is_critical(CoapOption::kContentFormat));
    EXPECT_FALSE(CoapOption::is_critical(CoapOption::kSize1));
}
