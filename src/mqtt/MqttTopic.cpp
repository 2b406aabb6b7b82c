// MQTT topic name/filter validation and matching (see MqttTopic.h).
#include "meshwork/mqtt/MqttTopic.h"

#include <algorithm>

namespace meshwork::mqtt {

bool valid_topic_name(std::string_view topic) {
    if (topic.empty() || topic.size() > 0xFFFF) {
        return false;
    }
    return topic.find_first_of(std::string_view("+#\0", 3)) == std::string_view::npos;
}

bool valid_topic_filter(std::string_view filter) {
    if (filter.empty() || filter.size() > 0xFFFF) {
        return false;
    }
    for (size_t i = 0; i < filter.size(); ++i) {
        const char c = filter[i];
        if (c == '\0') {
            return false;
        }
        const bool starts_level = i == 0 || filter[i - 1] == '/';
        const bool ends_level = i + 1 == filter.size() || filter[i + 1] == '/';
        if (c == '+' && !(starts_level && ends_level)) {
            return false;
        }
        if (c == '#' && !(starts_level && i + 1 == filter.size())) {
            return false;
        }
    }
    return true;
}

bool topic_matches(std::string_view filter, std::string_view topic) {
    if (!topic.empty() && topic[0] == '$' && !filter.empty() &&
        (filter[0] == '+' || filter[0] == '#')) {
        return false;  // section 4.7.2
    }
    size_t f = 0, t = 0;
    while (true) {
        const size_t f_end = std::min(filter.find('/', f), filter.size());
        const std::string_view flevel = filter.substr(f, f_end - f);
        if (flevel == "#") {
            return true;  // matches the parent level too ("a/#" matches "a")
        }
        if (t > topic.size()) {
            return false;  // topic exhausted while the filter has more levels
        }
        const size_t t_end = std::min(topic.find('/', t), topic.size());
        const std::string_view tlevel = topic.substr(t, t_end - t);
        if (flevel != "+" && flevel != tlevel) {
            return false;
        }
        const bool f_last = f_end == filter.size();
        const bool t_last = t_end == topic.size();
        if (f_last && t_last) {
            return true;
        }
        if (f_last) {
            return false;
        }
        f = f_end + 1;
        t = t_end + 1;  // past the end when the topic is exhausted: only '#' can still match
    }
}

}  // namespace meshwork::mqtt
