// What Mbed OS keeps once per device, kept once per simulated node (ARCHITECTURE rule 1; issue
// 11 item 3). A node's tasks carry a pointer to their NodeContext, so the platform shim and the
// socket layer can reach "this device's" address, trace settings, error history, configuration,
// default interface and DNS state without any process-wide variable (docs/sim.md "Per-node
// context").
//
// This header is the seam between the simulation and the Mbed-facing libraries: it needs only
// core and the typed configuration, names the Mbed types it points to by forward declaration,
// and is header-only, so platform and netsocket read it without linking the simulation.
#pragma once

#include <array>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/Random.h"
#include "core/Time.h"
#include "meshwork/config/Configuration.h"

// The Mbed objects a node's context points to; the mesh API and the platform shim fill them.
class NetworkInterface;
class NetworkStack;
class NanostackRfPhy;
namespace events {
class EventQueue;
}
namespace meshwork {
class DnsResolver;
}

namespace meshwork::sim {

/// A node's number within its simulation: 1, 2, ... in the order nodes were added.
using NodeId = std::uint32_t;

/// An IEEE EUI-64 (the 802.15.4 extended address; the source of the MAC-48 mbed_mac_address()
/// returns). A simulated node's is derived from the scenario seed and its id:
///   bytes 0-3  a prefix from the seed, with the first octet's I/G bit (0x01) clear: unicast,
///              and its U/L bit (0x02) set: locally administered (IEEE 802 section 8.2);
///   bytes 4-7  the node id, big-endian,
/// so two nodes of one simulation never share one, and the same seed gives the same addresses.
/// (An IPv6 interface identifier from it inverts U/L, RFC 4291 appendix A: the IID has it 0.)
struct Eui64 {
    std::array<std::uint8_t, 8> bytes{};

    static Eui64 derive(std::uint64_t seed, NodeId id) {
        const std::uint64_t prefix = mix64(seed ^ 0x6d65736877726b00ULL);  // "meshwrk\0"
        Eui64 e;
        for (int i = 0; i < 4; ++i)
            e.bytes[i] = static_cast<std::uint8_t>(prefix >> (56 - 8 * i));
        e.bytes[0] = static_cast<std::uint8_t>((e.bytes[0] & 0xfc) | 0x02);
        for (int i = 0; i < 4; ++i)
            e.bytes[4 + i] = static_cast<std::uint8_t>(id >> (24 - 8 * i));
        return e;
    }

    /// The 48-bit MAC: the first two prefix octets and the 32-bit node id, so it is unique in
    /// the simulation as well, with the same unicast / locally administered bits.
    std::array<std::uint8_t, 6> mac48() const {
        return {bytes[0], bytes[1], bytes[4], bytes[5], bytes[6], bytes[7]};
    }

    bool unicast() const { return (bytes[0] & 0x01) == 0; }
    bool locally_administered() const { return (bytes[0] & 0x02) != 0; }

    /// "02:1a:..:..": colon-separated lowercase hex.
    std::string to_string() const {
        std::string s;
        char b[4];
        for (std::size_t i = 0; i < bytes.size(); ++i) {
            std::snprintf(b, sizeof b, i ? ":%02x" : "%02x", bytes[i]);
            s += b;
        }
        return s;
    }

    bool operator==(const Eui64 &o) const { return bytes == o.bytes; }
    bool operator!=(const Eui64 &o) const { return !(*this == o); }
};

/// mbed-trace's settings (mbed_trace_config_set() and friends), per device. The defaults are
/// mbed-trace's: every level, plain mode, no filters; `enabled` starts from the node's
/// mbed-trace.enable.
struct TraceSettings {
    bool enabled = false;
    std::uint8_t config = 0x1f;  // mode bits | active level (TRACE_ACTIVE_LEVEL_ALL)
    std::string include_filters;
    std::string exclude_filters;
    std::size_t line_length = 1024;
    std::size_t tmp_length = 128;
    // nullptr: the defaults (a trace line goes to the node's output).
    void (*print)(const char *) = nullptr;
    char *(*prefix)(std::size_t) = nullptr;
    char *(*suffix)() = nullptr;
};

/// The error history mbed_error() keeps (mbed_get_first_error(), _last_error(), _error_count()).
struct ErrorCounters {
    std::int32_t first_error = 0;  // mbed_error_status_t
    std::int32_t last_error = 0;
    std::int32_t error_count = 0;

    void record(std::int32_t status) {
        if (error_count == 0)
            first_error = status;
        last_error = status;
        ++error_count;
    }
    void clear() { *this = ErrorCounters{}; }
};

/// A node's standard output, kept per node: whole lines stamped with the virtual time at which
/// their first character was written and a simulation-wide order number (so the lines of all
/// nodes can be merged exactly as they were written).
class NodeOutput {
  public:
    struct Line {
        Instant at;
        std::uint64_t order;
        std::string text;  // without the newline
    };

    NodeOutput(const Clock &clock, std::uint64_t &order) : clock_(&clock), order_(&order) {}

    /// Appends `text`; each '\n' ends a line. A partial line waits for its newline or flush().
    void write(std::string_view text) {
        while (!text.empty()) {
            if (!partial_open_) {
                partial_at_ = clock_->now();
                partial_open_ = true;
            }
            const auto nl = text.find('\n');
            if (nl == std::string_view::npos) {
                partial_.append(text);
                return;
            }
            partial_.append(text.substr(0, nl));
            end_line();
            text.remove_prefix(nl + 1);
        }
    }

    /// printf-style write.
    __attribute__((format(printf, 2, 3))) void printf(const char *format, ...) {
        va_list ap;
        va_start(ap, format);
        vprintf(format, ap);
        va_end(ap);
    }
    void vprintf(const char *format, va_list ap) {
        char small[256];
        va_list copy;
        va_copy(copy, ap);
        const int n = std::vsnprintf(small, sizeof small, format, copy);
        va_end(copy);
        if (n < 0)
            return;
        if (static_cast<std::size_t>(n) < sizeof small) {
            write(std::string_view(small, static_cast<std::size_t>(n)));
            return;
        }
        std::string big(static_cast<std::size_t>(n) + 1, '\0');
        std::vsnprintf(big.data(), big.size(), format, ap);
        big.resize(static_cast<std::size_t>(n));
        write(big);
    }

    /// Ends a partial line as if its newline had been written.
    void flush() {
        if (partial_open_)
            end_line();
    }

    const std::vector<Line> &lines() const { return lines_; }
    /// The text written, the complete lines each with its newline, then any partial line.
    std::string text() const {
        std::string s;
        for (const auto &l : lines_) {
            s += l.text;
            s += '\n';
        }
        return s + partial_;
    }

    /// "[node <id> @ <virtual time in us> us] <text>": the prefix the runner prints.
    static std::string format_line(NodeId id, const Line &line) {
        char prefix[64];
        std::snprintf(prefix, sizeof prefix, "[node %u @ %lld us] ", static_cast<unsigned>(id),
                      static_cast<long long>(line.at.time_since_epoch().count()));
        return prefix + line.text + "\n";
    }
    std::string formatted(NodeId id) const {
        std::string s;
        for (const auto &l : lines_)
            s += format_line(id, l);
        return s;
    }

  private:
    void end_line() {
        lines_.push_back(Line{partial_at_, (*order_)++, std::move(partial_)});
        partial_.clear();
        partial_open_ = false;
    }

    const Clock *clock_;
    std::uint64_t *order_;
    std::vector<Line> lines_;
    std::string partial_;
    Instant partial_at_{};
    bool partial_open_ = false;
};

/// Everything per device. Identity (id, name, EUI-64) is fixed at creation; the rest is state
/// the platform shim, the socket layer and the mesh API read and write for "this device".
class NodeContext {
  public:
    NodeContext(NodeId id, std::string name, std::uint64_t seed, SeededRandom random,
                std::shared_ptr<const config::Configuration> configuration, const Clock &clock,
                std::uint64_t &output_order)
        : id_(id),
          name_(std::move(name)),
          eui64_(Eui64::derive(seed, id)),
          clock_(&clock),
          random_(random),
          config_(configuration ? std::move(configuration)
                                : std::make_shared<const config::Configuration>()),
          output_(clock, output_order) {
        trace.enabled = config_->trace.enable;
    }
    NodeContext(const NodeContext &) = delete;
    NodeContext &operator=(const NodeContext &) = delete;

    NodeId id() const { return id_; }
    const std::string &name() const { return name_; }
    const Eui64 &eui64() const { return eui64_; }
    /// What mbed_mac_address() returns on this node (6 bytes).
    std::array<std::uint8_t, 6> mac_address() const { return eui64_.mac48(); }

    /// The simulation's virtual clock.
    const Clock &clock() const { return *clock_; }
    /// This node's stream: the scenario seed's stream number id().
    Random &random() { return random_; }

    /// The node's typed configuration (its mbed_app.json resolved); nodes created with the same
    /// configuration share one copy.
    const config::Configuration &config() const { return *config_; }
    const std::shared_ptr<const config::Configuration> &config_ptr() const { return config_; }
    void set_config(std::shared_ptr<const config::Configuration> c) {
        if (c)
            config_ = std::move(c);
    }

    NodeOutput &output() { return output_; }
    const NodeOutput &output() const { return output_; }

    TraceSettings trace;
    /// The platform shim's mbed-trace state of this node, made on first use from `trace`.
    std::shared_ptr<void> trace_state;
    ErrorCounters errors;
    /// Critical-section nesting (core_util_critical_section_enter()), kept by the platform shim.
    std::uint32_t critical_depth = 0;

    // Slots the mesh API and the platform shim fill (not owned here):
    NetworkInterface *default_interface = nullptr;  // NetworkInterface::get_default_instance()
    /// The node's stack; OnboardNetworkStack::get_default_instance() when it is an onboard one.
    NetworkStack *default_stack = nullptr;
    /// NanostackRfPhy::get_default_instance(): the node's radio, standing for its mesh stack
    /// (a meshapi::BackendRfPhy over the node's MeshBackend; docs/mesh-api.md).
    NanostackRfPhy *rf_phy = nullptr;
    DnsResolver *dns = nullptr;  // DNS servers and cache (nsapi_dns_*)
    /// The resolver the socket layer made for this node on first use (then `dns` points to
    /// it); whoever tears the node's network stack down resets it first.
    std::shared_ptr<DnsResolver> dns_owned;
    /// The node's shared queues, made by the platform shim on first use and owned by the
    /// executor that made them (which clears these when it goes).
    events::EventQueue *shared_event_queue = nullptr;           // mbed_event_queue()
    events::EventQueue *shared_highprio_event_queue = nullptr;  // mbed_highprio_event_queue()

  private:
    NodeId id_;
    std::string name_;
    Eui64 eui64_;
    const Clock *clock_;
    SeededRandom random_;
    std::shared_ptr<const config::Configuration> config_;
    NodeOutput output_;
};

}  // namespace meshwork::sim
