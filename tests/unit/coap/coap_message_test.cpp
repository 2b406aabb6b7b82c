#include <gtest/gtest.h>

#include "meshwork/coap/CoapMessage.h"

using namespace meshwork::coap;

TEST(CoapMessage, EncodesAndDecodesEveryField) {
    Message m;
    m.type = Type::kNonConfirmable;
    m.code = Code::kPut;
    m.message_id = 0xbeef;
    m.token = {1, 2, 3, 4};
    m.set_uri("/sensors/temp?unit=c&fast");
    m.set_content_format(ContentFormat::kJson);
    m.set_block(Option::kBlock1, Block{5, true, 2});
    m.set_payload("{\"t\":21}");
    auto bytes = m.encode();
    ASSERT_FALSE(bytes.empty());
    // Header: version 1, NON, TKL 4; code 0.03; message ID.
    EXPECT_EQ(bytes[0], 0x54);
    EXPECT_EQ(bytes[1], 0x03);
    EXPECT_EQ(bytes[2], 0xbe);
    EXPECT_EQ(bytes[3], 0xef);
    Message d;
    ASSERT_TRUE(Message::decode(bytes.data(), bytes.size(), &d));
    EXPECT_EQ(d.type, Type::kNonConfirmable);
    EXPECT_EQ(d.code, Code::kPut);
    EXPECT_EQ(d.message_id, 0xbeef);
    EXPECT_EQ(d.token, m.token);
    EXPECT_EQ(d.uri_path(), "sensors/temp");
    EXPECT_EQ(d.uri_queries(), (std::vector<std::string>{"unit=c", "fast"}));
    EXPECT_EQ(d.content_format(), ContentFormat::kJson);
    Block b;
    ASSERT_TRUE(d.block(Option::kBlock1, &b));
    EXPECT_EQ(b.num, 5u);
    EXPECT_TRUE(b.more);
    EXPECT_EQ(b.szx, 2);
    EXPECT_EQ(b.size(), 64u);
    EXPECT_EQ(d.payload_string(), "{\"t\":21}");
    EXPECT_EQ(d.observe(), -1);
    EXPECT_EQ(d.encode(), bytes);
}

TEST(CoapMessage, KnownBytes) {
    // CON GET mid 0x1234, token 0xaa, Uri-Path "time": 41 01 12 34 aa b4 74 69 6d 65
    const std::uint8_t wire[] = {0x41, 0x01, 0x12, 0x34, 0xaa, 0xb4, 't', 'i', 'm', 'e'};
    Message m;
    ASSERT_TRUE(Message::decode(wire, sizeof wire, &m));
    EXPECT_EQ(m.type, Type::kConfirmable);
    EXPECT_TRUE(m.is_request());
    EXPECT_EQ(m.uri_path(), "time");
    EXPECT_TRUE(m.payload.empty());
    EXPECT_EQ(m.encode(), std::vector<std::uint8_t>(wire, wire + sizeof wire));
    EXPECT_EQ(code_string(Code::kContent), "2.05");
    EXPECT_EQ(code_string(Code::kNotFound), "4.04");
}

TEST(CoapMessage, OptionsStaySortedAndRepeatable) {
    Message m;
    m.add_option_uint(Option::kContentFormat, 0);
    m.add_option_string(Option::kUriPath, "a");
    m.add_option_uint(Option::kObserve, 0);
    m.add_option_string(Option::kUriPath, "b");
    ASSERT_EQ(m.options.size(), 4u);
    EXPECT_EQ(m.options[0].number, Option::kObserve);
    EXPECT_TRUE(m.options[0].value.empty());  // uint 0 is the empty value
    EXPECT_EQ(m.uri_path(), "a/b");
    EXPECT_EQ(m.observe(), 0);
    EXPECT_EQ(m.content_format(), 0);
}

TEST(CoapMessage, RejectsMalformedInput) {
    Message m;
    const std::uint8_t short_header[] = {0x40, 0x01, 0x00};
    EXPECT_FALSE(Message::decode(short_header, sizeof short_header, &m));
    const std::uint8_t bad_version[] = {0x80, 0x01, 0x00, 0x01};
    EXPECT_FALSE(Message::decode(bad_version, sizeof bad_version, &m));
    const std::uint8_t token_too_long[] = {0x49, 0x01, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    EXPECT_FALSE(Message::decode(token_too_long, sizeof token_too_long, &m));
    const std::uint8_t token_truncated[] = {0x44, 0x01, 0, 1, 1, 2};
    EXPECT_FALSE(Message::decode(token_truncated, sizeof token_truncated, &m));
    const std::uint8_t marker_no_payload[] = {0x40, 0x01, 0, 1, 0xff};
    EXPECT_FALSE(Message::decode(marker_no_payload, sizeof marker_no_payload, &m));
    const std::uint8_t option_overrun[] = {0x40, 0x01, 0, 1, 0xb5, 'a'};
    EXPECT_FALSE(Message::decode(option_overrun, sizeof option_overrun, &m));
    const std::uint8_t reserved_delta[] = {0x40, 0x01, 0, 1, 0xf1, 0};
    EXPECT_FALSE(Message::decode(reserved_delta, sizeof reserved_delta, &m));
    const std::uint8_t empty_with_token[] = {0x41, 0x00, 0, 1, 7};
    EXPECT_FALSE(Message::decode(empty_with_token, sizeof empty_with_token, &m));
    const std::uint8_t reserved_class[] = {0x40, 0x20, 0, 1};
    EXPECT_FALSE(Message::decode(reserved_class, sizeof reserved_class, &m));
    // A block option with the reserved SZX 7 is reported as absent.
    Message b;
    b.add_option_uint(Option::kBlock2, 0x17);
    Block out;
    EXPECT_FALSE(b.block(Option::kBlock2, &out));
}

TEST(CoapMessage, EncodeFailsWhenBufferTooSmall) {
    Message m;
    m.code = Code::kGet;
    m.set_uri("a/long/path");
    std::uint8_t buf[6];
    EXPECT_EQ(m.encode(buf, sizeof buf), 0u);
    m.token.assign(9, 1);
    std::uint8_t big[64];
    EXPECT_EQ(m.encode(big, sizeof big), 0u);  // token longer than 8
}
