// MQTT 3.1.1 topic names and topic filters (section 4.7): validation and matching, including
// the rule that filters starting with a wildcard do not match topics starting with '$' (4.7.2).
#pragma once

#include <string_view>

namespace meshwork::mqtt {

/// A topic name for PUBLISH: non-empty, no '+' or '#', no U+0000, at most 65535 bytes.
bool valid_topic_name(std::string_view topic);

/// A topic filter for SUBSCRIBE/UNSUBSCRIBE: non-empty; '+' occupies a whole level; '#' occupies
/// a whole level and is the last one.
bool valid_topic_filter(std::string_view filter);

/// True when `topic` (a valid name) matches `filter` (a valid filter).
bool topic_matches(std::string_view filter, std::string_view topic);

}  // namespace meshwork::mqtt
