// Topic name/filter validation and matching (MQTT 3.1.1 section 4.7).
#include <gtest/gtest.h>

#include "meshwork/mqtt/MqttTopic.h"

using namespace meshwork::mqtt;

TEST(MqttTopic, NamesRejectWildcardsAndEmpty) {
    EXPECT_TRUE(valid_topic_name("a/b/c"));
    EXPECT_TRUE(valid_topic_name("/"));
    EXPECT_TRUE(valid_topic_name("$SYS/x"));
    EXPECT_FALSE(valid_topic_name(""));
    EXPECT_FALSE(valid_topic_name("a/+/c"));
    EXPECT_FALSE(valid_topic_name("a/#"));
    EXPECT_FALSE(valid_topic_name(std::string_view("a\0b", 3)));
}

TEST(MqttTopic, FilterWildcardPlacement) {
    for (const char *ok : {"#", "+", "a/#", "a/+/c", "+/+", "/+", "+/", "sport/tennis/#"}) {
        EXPECT_TRUE(valid_topic_filter(ok)) << ok;
    }
    for (const char *bad : {"", "a#", "a/#/b", "a+", "a/b+/c", "#/a", "++", "a/##"}) {
        EXPECT_FALSE(valid_topic_filter(bad)) << bad;
    }
}

TEST(MqttTopic, MatchingFromTheSpecification) {
    // Section 4.7.1.2 and 4.7.1.3 examples.
    EXPECT_TRUE(topic_matches("sport/tennis/player1/#", "sport/tennis/player1"));
    EXPECT_TRUE(topic_matches("sport/tennis/player1/#", "sport/tennis/player1/ranking"));
    EXPECT_TRUE(topic_matches("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon"));
    EXPECT_TRUE(topic_matches("sport/#", "sport"));
    EXPECT_TRUE(topic_matches("sport/tennis/+", "sport/tennis/player1"));
    EXPECT_FALSE(topic_matches("sport/tennis/+", "sport/tennis/player1/ranking"));
    EXPECT_FALSE(topic_matches("sport/+", "sport"));
    EXPECT_TRUE(topic_matches("sport/+", "sport/"));
    EXPECT_TRUE(topic_matches("+/+", "/finance"));
    EXPECT_TRUE(topic_matches("/+", "/finance"));
    EXPECT_FALSE(topic_matches("+", "/finance"));
    EXPECT_TRUE(topic_matches("#", "a/b/c"));
    EXPECT_TRUE(topic_matches("a/b", "a/b"));
    EXPECT_FALSE(topic_matches("a/b", "a/b/c"));
    EXPECT_FALSE(topic_matches("a/b/c", "a/b"));
    EXPECT_FALSE(topic_matches("A/b", "a/b"));
}

TEST(MqttTopic, DollarTopicsNeedAnExplicitFirstLevel) {
    EXPECT_FALSE(topic_matches("#", "$SYS/broker"));
    EXPECT_FALSE(topic_matches("+/broker", "$SYS/broker"));
    EXPECT_TRUE(topic_matches("$SYS/#", "$SYS/broker"));
    EXPECT_TRUE(topic_matches("$SYS/+", "$SYS/broker"));
}
