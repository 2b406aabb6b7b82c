// meshwork-decode: prints one JSON object per 802.15.4 frame, from a pcap file (LINKTYPE 195,
// 230 or 283) or from hex on stdin (one frame per line). See docs/wire-lowpan.md.
#include <algorithm>
#include <CLI/CLI.hpp>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "FrameDecoder.h"

using nlohmann::json;
using namespace meshwork;
using namespace meshwork::wire;

namespace {

bool parse_context(const std::string &spec, decode::DecodeOptions *opt, std::string *err) {
    // "<id>=<prefix>/<len>", e.g. "0=fd00:db8::/64"
    std::size_t eq = spec.find('='), slash = spec.rfind('/');
    if (eq == std::string::npos || slash == std::string::npos || slash < eq) {
        *err = "context must look like 0=fd00:db8::/64: " + spec;
        return false;
    }
    int id = std::atoi(spec.substr(0, eq).c_str());
    int len = std::atoi(spec.substr(slash + 1).c_str());
    Result<Ip6Address> a = Ip6Address::from_text(spec.substr(eq + 1, slash - eq - 1).c_str());
    if (id < 0 || id > 15 || len < 0 || len > 128 || !a) {
        *err = "bad context: " + spec;
        return false;
    }
    opt->contexts.set(static_cast<std::uint8_t>(id), *a, static_cast<std::uint8_t>(len));
    return true;
}

bool from_hex(const std::string &line, std::vector<std::uint8_t> *out);

// "<index>:<32 hex digits>", e.g. "1:00112233445566778899aabbccddeeff" (index 0: mode-0 frames).
bool parse_key(const std::string &spec, decode::DecodeOptions *opt, std::string *err) {
    const std::size_t colon = spec.find(':');
    std::vector<std::uint8_t> bytes;
    const std::string idx = colon == std::string::npos ? "" : spec.substr(0, colon);
    const bool idx_ok = !idx.empty() && idx.size() <= 3 &&
                        idx.find_first_not_of("0123456789") == std::string::npos &&
                        std::atoi(idx.c_str()) <= 255;
    if (!idx_ok || !from_hex(spec.substr(colon + 1), &bytes) || bytes.size() != 16) {
        *err = "key must look like 1:00112233445566778899aabbccddeeff: " + spec;
        return false;
    }
    decode::DecodeKey k;
    k.index = static_cast<std::uint8_t>(std::atoi(idx.c_str()));
    std::copy(bytes.begin(), bytes.end(), k.key);
    opt->keys.push_back(k);
    return true;
}

// "<short hex>=<EUI-64 hex>" or "<pan hex>/<short hex>=<EUI-64 hex>".
bool parse_address(const std::string &spec, decode::DecodeOptions *opt, std::string *err) {
    const std::size_t eq = spec.find('='), slash = spec.find('/');
    std::vector<std::uint8_t> eui;
    decode::DecodeAddress a;
    bool ok = eq != std::string::npos && from_hex(spec.substr(eq + 1), &eui) && eui.size() == 8;
    char *end = nullptr;
    if (ok && slash != std::string::npos && slash < eq) {
        a.pan = static_cast<std::uint16_t>(std::strtoul(spec.substr(0, slash).c_str(), &end, 16));
        ok = *end == 0 && slash > 0;
    }
    const std::size_t s0 = slash != std::string::npos && slash < eq ? slash + 1 : 0;
    if (ok) {
        const std::string sh = spec.substr(s0, eq - s0);
        const unsigned long v = std::strtoul(sh.c_str(), &end, 16);
        ok = !sh.empty() && *end == 0 && v <= 0xffff;
        a.short_address = static_cast<std::uint16_t>(v);
    }
    if (!ok) {
        *err = "address must look like 0x0011=0011223344556677 (or 1234/0011=...): " + spec;
        return false;
    }
    for (std::uint8_t b : eui)
        a.extended = a.extended << 8 | b;
    opt->addresses.push_back(a);
    return true;
}

// Looks a dotted path up in the frame object ("wpan.aux_sec.sec_level"); "" if absent.
std::string field_one(const json &j, const std::string &path) {
    const json *cur = &j;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t dot = path.find('.', start);
        std::string key =
            path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (!cur->is_object() || !cur->contains(key))
            return "";
        cur = &(*cur)[key];
        if (dot == std::string::npos)
            break;
        start = dot + 1;
    }
    if (cur->is_string())
        return cur->get<std::string>();
    if (cur->is_boolean())
        return cur->get<bool>() ? "1" : "0";
    if (cur->is_null())
        return "";
    return cur->dump();
}

// "a|b": the first of the alternatives that is present.
std::string field(const json &j, const std::string &spec) {
    std::size_t start = 0;
    for (;;) {
        std::size_t bar = spec.find('|', start);
        std::string v = field_one(
            j, spec.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
        if (!v.empty() || bar == std::string::npos)
            return v;
        start = bar + 1;
    }
}

std::vector<std::string> split(const std::string &s, char sep) {
    std::vector<std::string> v;
    std::stringstream ss(s);
    std::string item;
    while (std::getline(ss, item, sep))
        if (!item.empty())
            v.push_back(item);
    return v;
}

bool from_hex(const std::string &line, std::vector<std::uint8_t> *out) {
    out->clear();
    int hi = -1;
    for (char ch : line) {
        if (std::isspace(static_cast<unsigned char>(ch)) || ch == ':')
            continue;
        int v = std::isdigit(static_cast<unsigned char>(ch)) ? ch - '0'
                : std::isxdigit(static_cast<unsigned char>(ch))
                    ? std::tolower(static_cast<unsigned char>(ch)) - 'a' + 10
                    : -1;
        if (v < 0)
            return false;
        if (hi < 0) {
            hi = v;
        } else {
            out->push_back(static_cast<std::uint8_t>(hi << 4 | v));
            hi = -1;
        }
    }
    return hi < 0;
}

}  // namespace

int main(int argc, char **argv) {
    CLI::App app{
        "Decode IEEE 802.15.4 / 6LoWPAN / IPv6 / MLE / CoAP frames to JSON, one object per line"};
    std::string input = "-";
    std::vector<std::string> contexts, keys, addresses;
    std::string fields;
    bool no_fcs = false, pretty = false;
    app.add_option("input", input,
                   "pcap file (LINKTYPE 195, 230 or 283), or '-' for stdin (pcap or hex lines)");
    app.add_option("-c,--context", contexts, "6LoWPAN context, e.g. 0=fd00:db8::/64 (repeatable)")
        ->allow_extra_args(false);
    app.add_option("-e,--fields", fields,
                   "print these comma-separated fields tab-separated instead of JSON (e.g. "
                   "wpan.seq_no,ipv6.src)");
    app.add_option("-k,--key", keys,
                   "MAC key to decrypt secured frames, <key index>:<32 hex digits> (index 0 for "
                   "key id mode 0; repeatable)")
        ->allow_extra_args(false);
    app.add_option("-a,--address", addresses,
                   "extended address of a short address, for the nonce of frames sent from it: "
                   "[<pan>/]<short>=<EUI-64>, hex (repeatable)")
        ->allow_extra_args(false);
    app.add_flag("--no-fcs", no_fcs, "hex input frames have no FCS");
    app.add_flag("--pretty", pretty, "indent the JSON");
    CLI11_PARSE(app, argc, argv);

    decode::DecodeOptions opt;
    for (const std::string &c : contexts) {
        std::string err;
        if (!parse_context(c, &opt, &err)) {
            std::cerr << "meshwork-decode: " << err << "\n";
            return 2;
        }
    }
    for (const std::string &k : keys) {
        std::string err;
        if (!parse_key(k, &opt, &err)) {
            std::cerr << "meshwork-decode: " << err << "\n";
            return 2;
        }
    }
    for (const std::string &a : addresses) {
        std::string err;
        if (!parse_address(a, &opt, &err)) {
            std::cerr << "meshwork-decode: " << err << "\n";
            return 2;
        }
    }
    const std::vector<std::string> field_list = split(fields, ',');

    std::vector<std::uint8_t> data;
    if (input == "-") {
        data.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    } else {
        std::ifstream f(input, std::ios::binary);
        if (!f) {
            std::cerr << "meshwork-decode: cannot open " << input << "\n";
            return 2;
        }
        data.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    }

    auto emit = [&](json j) {
        if (!field_list.empty()) {
            for (std::size_t i = 0; i < field_list.size(); ++i)
                std::cout << (i ? "\t" : "") << field(j, field_list[i]);
            std::cout << "\n";
        } else {
            std::cout << (pretty ? j.dump(2) : j.dump()) << "\n";
        }
    };

    Result<PcapReader> pcap = PcapReader::parse(ByteSpan(data.data(), data.size()));
    if (pcap) {
        const std::uint32_t lt = pcap->header().link_type;
        if (lt != 195 && lt != 230 && lt != 283) {
            std::cerr << "meshwork-decode: unsupported link type " << lt
                      << " (need 195, 230 or 283)\n";
            return 2;
        }
        std::size_t n = 0;
        decode::AckTracker acks;
        for (;;) {
            PcapRecord rec;
            std::size_t at = pcap->offset();
            Result<bool> more = pcap->next(&rec);
            if (!more) {
                emit({{"frame", {{"number", n + 1}}},
                      {"error",
                       {{"layer", "pcap"}, {"offset", at}, {"reason", error_name(more.error())}}}});
                return 1;
            }
            if (!*more)
                break;
            ++n;
            char ts[40];
            std::snprintf(ts, sizeof ts, "%llu.%09llu",
                          static_cast<unsigned long long>(rec.timestamp_ns / 1000000000u),
                          static_cast<unsigned long long>(rec.timestamp_ns % 1000000000u));
            json head = {{"frame", {{"number", n}, {"time_epoch", ts}, {"len", rec.data.size}}}};
            Result<PcapMacFrame> mf = pcap_mac_frame(lt, rec.data);
            if (!mf) {
                head["error"] = {
                    {"layer", "wpan-tap"}, {"offset", 0}, {"reason", error_name(mf.error())}};
                emit(head);
                continue;
            }
            opt.ack_source = acks.next(mf->frame, mf->has_fcs, opt);
            json j = decode::decode_frame(mf->frame, mf->has_fcs, opt);
            if (mf->has_tap) {
                json t;
                if (mf->tap.has_channel)
                    t["ch_num"] = mf->tap.channel, t["ch_page"] = mf->tap.page;
                if (mf->tap.has_rss)
                    t["rss"] = mf->tap.rss_dbm;
                if (mf->tap.has_lqi)
                    t["lqi"] = mf->tap.lqi;
                t["fcs_type"] = mf->tap.fcs_type;
                head["wpan-tap"] = t;
            }
            head.update(j);
            emit(head);
        }
        return 0;
    }

    // Hex lines.
    std::string text(data.begin(), data.end());
    std::istringstream in(text);
    std::string line;
    std::size_t n = 0;
    int status = 0;
    decode::AckTracker hex_acks;
    while (std::getline(in, line)) {
        if (line.find_first_not_of(" \t\r") == std::string::npos || line[0] == '#')
            continue;
        ++n;
        std::vector<std::uint8_t> frame;
        if (!from_hex(line, &frame)) {
            emit({{"frame", {{"number", n}}},
                  {"error", {{"layer", "input"}, {"offset", 0}, {"reason", "not hex"}}}});
            status = 1;
            continue;
        }
        json head = {{"frame", {{"number", n}, {"len", frame.size()}}}};
        opt.ack_source = hex_acks.next(ByteSpan(frame.data(), frame.size()), !no_fcs, opt);
        head.update(decode::decode_frame(ByteSpan(frame.data(), frame.size()), !no_fcs, opt));
        emit(head);
    }
    return status;
}
