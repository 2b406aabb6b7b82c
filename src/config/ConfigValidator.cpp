#include "ConfigValidator.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <utility>

#include "IntExpression.h"
#include "ValueText.h"

namespace meshwork::config {
namespace {

std::string hex(std::uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

std::string range_text(std::int64_t lo, std::int64_t hi, bool show_hex) {
    std::string r = std::to_string(lo) + ".." + std::to_string(hi);
    if (show_hex) {
        r = hex(static_cast<std::uint64_t>(lo)) + ".." + hex(static_cast<std::uint64_t>(hi)) +
            " (" + r + ")";
    }
    return r;
}

class Validator {
  public:
    Validator(const ResolvedConfig &r, std::vector<std::string> &errors) : r_(r), errors_(errors) {}

    // The parameter, or null when absent (library not required) or null-valued and allowed.
    const ResolvedParameter *find(const std::string &name) const {
        auto it = r_.parameters.find(name);
        return it == r_.parameters.end() ? nullptr : &it->second;
    }

    void fail(const ResolvedParameter &p, const std::string &problem, const std::string &allowed) {
        errors_.push_back(p.file + ": error: " + p.where + ": \"" + p.name + "\" = " + p.json_text +
                          ": " + problem + "; allowed: " + allowed);
    }

    // Present and non-null; a null value of a parameter the stack needs is itself an error.
    const ResolvedParameter *need(const std::string &name, const std::string &allowed) {
        const ResolvedParameter *p = find(name);
        if (p == nullptr) {
            return nullptr;
        }
        if (p->value.kind == ParameterValue::Kind::kNull) {
            fail(*p, "null removes " + p->value.macro_name + ", which meshwork needs", allowed);
            return nullptr;
        }
        return p;
    }

    template <typename T>
    void integer(const std::string &name, std::int64_t lo, std::int64_t hi, T &out,
                 bool show_hex = false) {
        std::string allowed = range_text(lo, hi, show_hex);
        const ResolvedParameter *p = need(name, allowed);
        if (p == nullptr) {
            return;
        }
        const ParameterValue &v = p->value;
        std::int64_t n = 0;
        if (v.kind == ParameterValue::Kind::kInteger) {
            n = v.int_value;
        } else if (v.kind == ParameterValue::Kind::kString) {
            IntExpressionResult e = evaluate_int_expression(v.text);
            if (!e.ok) {
                fail(*p, "not an integer expression (" + e.error + ")", allowed);
                return;
            }
            if (e.value > static_cast<std::uint64_t>(hi)) {
                fail(*p, "out of range (evaluates to " + hex(e.value) + ")", allowed);
                return;
            }
            n = static_cast<std::int64_t>(e.value);
        } else {
            fail(*p,
                 std::string("wrong type, expected an integer, found ") +
                     (v.kind == ParameterValue::Kind::kBool ? "a boolean" : "a non-integer number"),
                 allowed);
            return;
        }
        if (n < lo || n > hi) {
            fail(*p, "out of range", allowed);
            return;
        }
        out = static_cast<T>(n);
    }

    void boolean(const std::string &name, bool &out) {
        const char *allowed = "true, false, 1 or 0";
        const ResolvedParameter *p = need(name, allowed);
        if (p == nullptr) {
            return;
        }
        const ParameterValue &v = p->value;
        if (v.kind == ParameterValue::Kind::kBool) {
            out = v.bool_value;
        } else if (v.kind == ParameterValue::Kind::kInteger &&
                   (v.int_value == 0 || v.int_value == 1)) {
            out = v.int_value == 1;
        } else {
            fail(*p, "wrong type, expected a boolean", allowed);
        }
    }

    template <typename E>
    void token(const std::string &name, const std::vector<std::pair<const char *, E>> &tokens,
               E &out) {
        std::string allowed;
        for (const auto &t : tokens) {
            allowed += (allowed.empty() ? "" : ", ") + std::string(t.first);
        }
        const ResolvedParameter *p = need(name, allowed);
        if (p == nullptr) {
            return;
        }
        if (p->value.kind != ParameterValue::Kind::kString) {
            fail(*p, "wrong type, expected one of the tokens", allowed);
            return;
        }
        for (const auto &t : tokens) {
            if (p->value.text == t.first) {
                out = t.second;
                return;
            }
        }
        fail(*p, "unknown token", allowed);
    }

    // A C string literal of lo..hi characters; `alphabet_ok` checks each character.
    template <typename F>
    void c_string(const std::string &name, std::size_t lo, std::size_t hi,
                  const std::string &alphabet, F alphabet_ok, std::string &out) {
        std::string allowed = "a C string literal (\"\\\"...\\\"\") of " + std::to_string(lo) +
                              ".." + std::to_string(hi) + " characters" + alphabet;
        const ResolvedParameter *p = need(name, allowed);
        if (p == nullptr) {
            return;
        }
        if (p->value.kind != ParameterValue::Kind::kString) {
            fail(*p, "wrong type, expected a C string literal", allowed);
            return;
        }
        CStringResult s = parse_c_string_literal(p->value.text);
        if (!s.ok) {
            fail(*p, s.error, allowed);
            return;
        }
        if (s.value.size() < lo || s.value.size() > hi) {
            fail(*p, "length " + std::to_string(s.value.size()) + " is out of range", allowed);
            return;
        }
        for (char c : s.value) {
            if (!alphabet_ok(c)) {
                fail(*p, std::string("character '") + c + "' is not allowed", allowed);
                return;
            }
        }
        out = s.value;
    }

    template <std::size_t N>
    void bytes(const std::string &name, std::array<std::uint8_t, N> &out) {
        std::string allowed =
            "a brace initialiser of exactly " + std::to_string(N) + " bytes, e.g. {0x00, ...}";
        const ResolvedParameter *p = need(name, allowed);
        if (p == nullptr) {
            return;
        }
        if (p->value.kind != ParameterValue::Kind::kString) {
            fail(*p, "wrong type, expected a string holding a brace initialiser", allowed);
            return;
        }
        ByteListResult b = parse_byte_list(p->value.text);
        if (!b.ok) {
            fail(*p, b.error, allowed);
            return;
        }
        if (b.bytes.size() != N) {
            fail(*p, std::to_string(b.bytes.size()) + " bytes", allowed);
            return;
        }
        std::copy(b.bytes.begin(), b.bytes.end(), out.begin());
    }

    void timestamp(const std::string &name, CommissioningTimestamp &out) {
        std::string allowed =
            "a 64-bit integer: 48-bit seconds << 16 | 15-bit ticks << 1 | U bit (e.g. \"0x10000\" "
            "= 1 s)";
        const ResolvedParameter *p = need(name, allowed);
        if (p == nullptr) {
            return;
        }
        std::uint64_t raw = 0;
        const ParameterValue &v = p->value;
        if (v.kind == ParameterValue::Kind::kInteger && v.int_value >= 0) {
            raw = static_cast<std::uint64_t>(v.int_value);
        } else if (v.kind == ParameterValue::Kind::kString) {
            IntExpressionResult e = evaluate_int_expression(v.text);
            if (!e.ok) {
                fail(*p, "not an integer expression (" + e.error + ")", allowed);
                return;
            }
            raw = e.value;
        } else {
            fail(*p, "wrong type, expected a non-negative integer", allowed);
            return;
        }
        out.seconds = raw >> 16;
        out.ticks = static_cast<std::uint16_t>((raw >> 1) & 0x7fff);
        out.authoritative = (raw & 1) != 0;
    }

    void optional_text(const std::string &name, std::optional<std::string> &out) {
        const ResolvedParameter *p = find(name);
        if (p != nullptr && p->value.kind != ParameterValue::Kind::kNull) {
            out = p->value.text;
        }
    }

    void text(const std::string &name, std::string &out) {
        const ResolvedParameter *p = find(name);
        if (p != nullptr && p->value.kind != ParameterValue::Kind::kNull) {
            out = p->value.text;
        }
    }

  private:
    const ResolvedConfig &r_;
    std::vector<std::string> &errors_;
};

bool pskd_char(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Y' && c != 'I' && c != 'O' && c != 'Q');
}

bool any_char(char) {
    return true;
}

void mesh(Validator &v, MeshConfig &m) {
    const std::string p = "mbed-mesh-api.";
    v.integer(p + "heap-size", 0, 0xfffe, m.heap_size, true);
    v.integer(p + "mac-neigh-table-size", 5, 255, m.mac_neigh_table_size);
    v.boolean(p + "use-malloc-for-heap", m.use_malloc_for_heap);
    v.boolean(p + "system-time-update-from-nanostack", m.system_time_update_from_nanostack);

    LowpanNdConfig &l = m.lowpan_nd;
    v.integer(p + "6lowpan-nd-channel-mask", 0, 0x07fff800, l.channel_mask, true);
    std::uint8_t page = l.channel_page;
    v.integer(p + "6lowpan-nd-channel-page", 0, 2, page);
    if (page == 1) {
        // 0..2 passed; only 0 (2.4 GHz) and 2 (sub-GHz) are 6LoWPAN-ND pages.
        if (const ResolvedParameter *q = v.find(p + "6lowpan-nd-channel-page")) {
            v.fail(*q, "channel page 1 is not supported", "0 (2.4 GHz) or 2 (sub-GHz)");
        }
    } else {
        l.channel_page = page;
    }
    v.integer(p + "6lowpan-nd-channel", 0, 26, l.channel);
    v.integer(p + "6lowpan-nd-panid-filter", 0, 0xffff, l.panid_filter, true);
    v.token<LowpanSecurityMode>(
        p + "6lowpan-nd-security-mode",
        {{"NONE", LowpanSecurityMode::kNone}, {"PSK", LowpanSecurityMode::kPsk}}, l.security_mode);
    v.integer(p + "6lowpan-nd-psk-key-id", 1, 255, l.psk_key_id);
    v.bytes(p + "6lowpan-nd-psk-key", l.psk_key);
    v.integer(p + "6lowpan-nd-sec-level", 1, 7, l.sec_level);
    v.token<LowpanDeviceType>(p + "6lowpan-nd-device-type",
                              {{"NET_6LOWPAN_ROUTER", LowpanDeviceType::kRouter},
                               {"NET_6LOWPAN_HOST", LowpanDeviceType::kHost}},
                              l.device_type);

    ThreadConfig &t = m.thread;
    v.c_string(p + "thread-pskd", 6, 32, " from 0-9 and A-Y except I, O, Q (Thread PSKd)",
               pskd_char, t.pskd);
    v.boolean(p + "thread-use-static-link-config", t.use_static_link_config);
    v.integer(p + "thread-config-channel-mask", 0, 0x07fff800, t.channel_mask, true);
    v.integer(p + "thread-config-channel-page", 0, 0, t.channel_page);
    v.integer(p + "thread-config-channel", 11, 26, t.channel);
    v.integer(p + "thread-config-panid", 0, 0xffff, t.panid, true);
    v.c_string(p + "thread-config-network-name", 1, 16, "", any_char, t.network_name);
    v.timestamp(p + "thread-config-commissioning-dataset-timestamp",
                t.commissioning_dataset_timestamp);
    v.bytes(p + "thread-config-extended-panid", t.extended_panid);
    v.bytes(p + "thread-master-key", t.master_key);
    v.bytes(p + "thread-config-ml-prefix", t.ml_prefix);
    v.bytes(p + "thread-config-pskc", t.pskc);
    v.token<ThreadDeviceType>(
        p + "thread-device-type",
        {{"MESH_DEVICE_TYPE_THREAD_ROUTER", ThreadDeviceType::kRouter},
         {"MESH_DEVICE_TYPE_THREAD_SLEEPY_END_DEVICE", ThreadDeviceType::kSleepyEndDevice},
         {"MESH_DEVICE_TYPE_THREAD_MINIMAL_END_DEVICE", ThreadDeviceType::kMinimalEndDevice}},
        t.device_type);
    v.integer(p + "thread-security-policy", 0, 0xff, t.security_policy, true);

    v.c_string(p + "wisun-network-name", 1, 32, "", any_char, m.wisun.network_name);
    v.token<WisunDeviceType>(
        p + "wisun-device-type",
        {{"MESH_DEVICE_TYPE_WISUN_ROUTER", WisunDeviceType::kRouter},
         {"MESH_DEVICE_TYPE_WISUN_BORDER_ROUTER", WisunDeviceType::kBorderRouter}},
        m.wisun.device_type);
}

void nsapi(Validator &v, NsapiConfig &n) {
    const std::string p = "nsapi.";
    v.boolean(p + "present", n.present);
    v.text(p + "default-stack", n.default_stack);
    v.token<MeshType>(
        p + "default-mesh-type",
        {{"LOWPAN", MeshType::kLowpan}, {"THREAD", MeshType::kThread}, {"WISUN", MeshType::kWisun}},
        n.default_mesh_type);
    v.optional_text(p + "default-wifi-ssid", n.default_wifi_ssid);
    v.optional_text(p + "default-wifi-password", n.default_wifi_password);
    v.text(p + "default-wifi-security", n.default_wifi_security);
    v.integer(p + "dns-response-wait-time", 0, 0x7fffffff, n.dns_response_wait_time);
    v.integer(p + "dns-total-attempts", 1, 255, n.dns_total_attempts);
    v.integer(p + "dns-retries", 0, 255, n.dns_retries);
    v.integer(p + "dns-cache-size", 0, 255, n.dns_cache_size);
    v.integer(p + "dns-addresses-limit", 1, 255, n.dns_addresses_limit);
    v.boolean(p + "socket-stats-enabled", n.socket_stats_enabled);
    v.integer(p + "socket-stats-max-count", 0, 0xffff, n.socket_stats_max_count);
}

void target(const ResolvedConfig &r, Validator &v, TargetConfig &t) {
    std::set<std::string> labels(r.labels.begin(), r.labels.end());
    labels.insert(r.extra_labels.begin(), r.extra_labels.end());
    t.labels.assign(labels.begin(), labels.end());
    t.features.assign(r.features.begin(), r.features.end());
    t.device_has.assign(r.device_has.begin(), r.device_has.end());
    t.components.assign(r.components.begin(), r.components.end());
    const ResolvedParameter *p = v.find("target.network-default-interface-type");
    if (p == nullptr || p->value.kind == ParameterValue::Kind::kNull) {
        t.network_default_interface_type = InterfaceType::kNone;
        return;
    }
    v.token<InterfaceType>("target.network-default-interface-type",
                           {{"ETHERNET", InterfaceType::kEthernet},
                            {"WIFI", InterfaceType::kWifi},
                            {"MESH", InterfaceType::kMesh},
                            {"CELLULAR", InterfaceType::kCellular}},
                           t.network_default_interface_type);
}

}  // namespace

bool is_valid_pskd(const std::string &pskd) {
    return pskd.size() >= 6 && pskd.size() <= 32 &&
           std::all_of(pskd.begin(), pskd.end(), pskd_char);
}

void build_configuration(const ResolvedConfig &r, Configuration &out,
                         std::vector<std::string> &errors) {
    Validator v(r, errors);
    target(r, v, out.target);
    mesh(v, out.mesh);
    nsapi(v, out.nsapi);

    EventsConfig &e = out.events;
    e.present = r.libraries.count("events") != 0;
    v.boolean("events.present", e.present);
    v.integer("events.shared-stacksize", 256, 0x1000000, e.shared_stacksize);
    v.integer("events.shared-eventsize", 16, 0x1000000, e.shared_eventsize);
    v.boolean("events.shared-dispatch-from-application", e.shared_dispatch_from_application);
    v.integer("events.shared-highprio-stacksize", 256, 0x1000000, e.shared_highprio_stacksize);
    v.integer("events.shared-highprio-eventsize", 16, 0x1000000, e.shared_highprio_eventsize);
    v.boolean("events.use-lowpower-timer-ticker", e.use_lowpower_timer_ticker);

    RtosConfig &rt = out.rtos;
    rt.present = r.libraries.count("rtos") != 0;
    v.boolean("rtos.present", rt.present);
    v.integer("rtos.main-thread-stack-size", 256, 0x10000000, rt.main_thread_stack_size);
    v.integer("rtos.thread-stack-size", 256, 0x10000000, rt.thread_stack_size);
    v.integer("rtos.idle-thread-stack-size", 0, 0x10000000, rt.idle_thread_stack_size);
    v.integer("rtos.timer-thread-stack-size", 0, 0x10000000, rt.timer_thread_stack_size);

    PlatformConfig &pl = out.platform;
    v.integer("platform.stdio-baud-rate", 1, 0x7fffffff, pl.stdio_baud_rate);
    v.boolean("platform.stdio-convert-newlines", pl.stdio_convert_newlines);
    v.boolean("platform.callback-comparable", pl.callback_comparable);
    v.boolean("platform.callback-nontrivial", pl.callback_nontrivial);

    v.boolean("mbed-trace.enable", out.trace.enable);
    v.optional_text("mbed-trace.max-level", out.trace.max_level);
    v.boolean("mbed-trace.fea-ipv6", out.trace.fea_ipv6);

    v.integer("meshwork.host-socket-max", 1, 16384, out.meshwork.host_socket_max);
    if (const ResolvedParameter *p = v.find("meshwork.host-interface");
        p != nullptr && p->value.kind != ParameterValue::Kind::kNull) {
        v.c_string("meshwork.host-interface", 1, 15, " (IFNAMSIZ - 1)", any_char,
                   out.meshwork.host_interface);
    }
    v.text("nanostack.configuration", out.nanostack_configuration);

    for (const auto &[name, p] : r.parameters) {
        ParameterValue pv = p.value;
        out.parameters[name] = pv;
        if (p.unit == "app") {
            out.app.values[name.substr(4)] = pv;
        }
    }
    for (const auto &[name, m] : r.macros) {
        out.macros[name] = m.body;
    }
}

}  // namespace meshwork::config
