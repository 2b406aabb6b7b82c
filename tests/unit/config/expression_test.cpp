// Integer expressions and value texts as configuration values use them.
#include <gtest/gtest.h>

#include "IntExpression.h"
#include "ValueText.h"

namespace meshwork::config {
namespace {

std::uint64_t eval_ok(const char *text) {
    IntExpressionResult r = evaluate_int_expression(text);
    EXPECT_TRUE(r.ok) << text << ": " << r.error;
    return r.value;
}

std::string eval_error(const char *text) {
    IntExpressionResult r = evaluate_int_expression(text);
    EXPECT_FALSE(r.ok) << text << " evaluated to " << r.value;
    return r.error;
}

TEST(IntExpression, LiteralsFollowC) {
    EXPECT_EQ(eval_ok("0x7fff800"), 0x7fff800u);
    EXPECT_EQ(eval_ok("0X0700"), 0x700u);
    EXPECT_EQ(eval_ok("32500"), 32500u);
    EXPECT_EQ(eval_ok("0700"), 0700u);  // octal, as C reads it
    EXPECT_EQ(eval_ok("0"), 0u);
    EXPECT_EQ(eval_ok("0x10000ULL"), 0x10000u);
    EXPECT_EQ(eval_ok("10u"), 10u);
    EXPECT_EQ(eval_ok("0xffffffffffffffff"), UINT64_MAX);
}

TEST(IntExpression, OperatorsAndPrecedence) {
    EXPECT_EQ(eval_ok("(1<<12)"), 1u << 12);
    EXPECT_EQ(eval_ok(" ( 1 << 11 ) | ( 1 << 12 ) "), (1u << 11) | (1u << 12));
    EXPECT_EQ(eval_ok("1<<2+1"), 8u);  // + binds tighter than <<
    EXPECT_EQ(eval_ok("1|2<<1"), 5u);  // << binds tighter than |
    EXPECT_EQ(eval_ok("((((3))))"), 3u);
    EXPECT_EQ(eval_ok("1<<63"), 1ull << 63);
}

TEST(IntExpression, ErrorsSayWhat) {
    EXPECT_EQ(eval_error(""), "empty expression");
    EXPECT_EQ(eval_error("5*1000"),
              "unsupported '*' at offset 1 (supported: integer literals, +, <<, |, parentheses)");
    EXPECT_EQ(eval_error("1>>2"),
              "unsupported '>>' at offset 1 (supported: integer literals, +, <<, |, parentheses)");
    EXPECT_EQ(eval_error("(1<<12"), "missing ')'");
    EXPECT_EQ(eval_error("1<<64"), "shift by 64 is not below 64");
    EXPECT_EQ(eval_error("2<<63"), "value overflows 64 bits");
    EXPECT_EQ(eval_error("0xffffffffffffffff+1"), "value overflows 64 bits");
    EXPECT_EQ(eval_error("0x1ffffffffffffffff"), "literal at offset 0 overflows 64 bits");
    EXPECT_EQ(eval_error("089"), "invalid digit '8' in literal at offset 0");
    EXPECT_EQ(eval_error("0x"), "hexadecimal literal without digits at offset 0");
    EXPECT_EQ(eval_error("12ab"), "invalid digit 'a' in literal at offset 0");
    EXPECT_EQ(eval_error("NC"),
              "unsupported 'N' at offset 0 (supported: integer literals, +, <<, |, parentheses)");
    EXPECT_EQ(eval_error("1 2"),
              "unsupported '2' at offset 2 (supported: integer literals, +, <<, |, parentheses)");
    EXPECT_EQ(eval_error("1||2"),
              "unsupported '||' at offset 1 (supported: integer literals, +, <<, |, parentheses)");
    std::string deep(100, '(');
    EXPECT_EQ(eval_error(deep.c_str()), "parentheses nested deeper than 64");
}

TEST(ValueText, CStringLiteral) {
    CStringResult r = parse_c_string_literal("\"Thread Network\"");
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.value, "Thread Network");
    r = parse_c_string_literal("\"a\\\"b\\\\c\\x41\"");
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.value, "a\"b\\cA");
    EXPECT_FALSE(parse_c_string_literal("Thread Network").ok);
    EXPECT_FALSE(parse_c_string_literal("\"").ok);
    EXPECT_EQ(parse_c_string_literal("\"a\"b\"").error,
              "unescaped '\"' inside the C string literal");
    EXPECT_EQ(parse_c_string_literal("\"a\\q\"").error, "unsupported escape '\\q'");
}

TEST(ValueText, ByteList) {
    ByteListResult r = parse_byte_list("{0xf1, 0xb5, 0xa1, 0xb2,0xc4, 0xd5, 0xa1, 0xbd }");
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.bytes, (std::vector<std::uint8_t>{0xf1, 0xb5, 0xa1, 0xb2, 0xc4, 0xd5, 0xa1, 0xbd}));
    r = parse_byte_list("{1, 2, 3,}");
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.bytes.size(), 3u);
    EXPECT_EQ(parse_byte_list("{0x100}").error, "element 0 '0x100' is not a byte (0..0xff)");
    EXPECT_EQ(parse_byte_list("{1,,2}").error, "empty element 1");
    EXPECT_EQ(parse_byte_list("0x01, 0x02").error, "not a brace initialiser {0x.., 0x.., ...}");
    EXPECT_TRUE(parse_byte_list("{}").ok);
}

TEST(ValueText, NearestNames) {
    std::vector<std::string> names = {"mbed-mesh-api.heap-size", "mbed-mesh-api.thread-pskd",
                                      "nsapi.present"};
    EXPECT_EQ(nearest_names("mbed-mesh-api.heap_size", names).at(0), "mbed-mesh-api.heap-size");
    EXPECT_EQ(nearest_names("nsapi.heap-size", names).at(0), "mbed-mesh-api.heap-size");
    EXPECT_TRUE(nearest_names("completely.unrelated-name", names).empty());
    EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

}  // namespace
}  // namespace meshwork::config
