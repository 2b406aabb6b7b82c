// Oracle test: frames built by our emitters, written to pcap (LINKTYPE 283 and 195), decoded by
// tshark; every field we meant must be there with our value, with no malformed packet and no
// expert error. Then meshwork-decode must agree with tshark on the same capture.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <unistd.h>

#include "FrameSet.h"
#include "TempDir.h"
#include "TsharkRun.h"
#include "wire/Icmp6.h"
#include "wire/Ip6.h"
#include "wire/LowpanIphc.h"
#include "wire/Pcap.h"

using namespace meshwork;
using namespace meshwork::wire;
using namespace meshwork::interop;

namespace {

std::string write_pcap(const meshwork::test::TempDir &dir, const std::vector<ExpectedFrame> &frames,
                       PcapLinkType lt, const std::string &name) {
    std::string path = dir.file(name);
    std::vector<std::uint8_t> file(PcapFileHeader::kSize);
    PcapFileHeader h;
    h.link_type = static_cast<std::uint32_t>(lt);
    EXPECT_TRUE(h.emit(MutableByteSpan(file.data(), file.size())).ok());
    std::uint64_t t = 1700000000ull * 1000000000ull;
    for (const ExpectedFrame &f : frames) {
        TapHeader tap;
        tap.has_channel = true;
        tap.channel = f.channel;
        tap.has_rss = true;
        tap.rss_dbm = f.rssi;
        ByteSpan psdu(f.psdu.data(), f.psdu.size());
        std::vector<std::uint8_t> rec(pcap_record_size(lt, psdu.size, &tap));
        std::size_t n = 0;
        EXPECT_TRUE(
            pcap_emit_record(lt, t, psdu, &tap, MutableByteSpan(rec.data(), rec.size()), &n).ok());
        rec.resize(n);
        file.insert(file.end(), rec.begin(), rec.end());
        t += 5000000;  // 5 ms apart
    }
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char *>(file.data()),
               static_cast<std::streamsize>(file.size()));
    return path;
}

bool as_number(const std::string &s, double *v) {
    if (s.empty())
        return false;
    char *end = nullptr;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        *v = static_cast<double>(std::strtoull(s.c_str(), &end, 16));
    } else {
        *v = std::strtod(s.c_str(), &end);
    }
    return end && *end == '\0';
}

const char *kPrefs =
    " -o 6lowpan.context0:fd00:db8::/64 -o wpan.802154_fcs_ok:TRUE -o udp.check_checksum:TRUE -d "
    "udp.port==61631,coap";

// tshark -T fields for `names`; one vector of values per frame.
std::vector<std::vector<std::string>> tshark_fields(const std::string &pcap,
                                                    const std::vector<std::string> &names) {
    std::string cmd = "tshark -n -r '" + pcap + "'" + kPrefs +
                      " -T fields -E separator=/t -E occurrence=a -E aggregator=,";
    for (const std::string &n : names)
        cmd += " -e " + n;
    cmd += " 2>/dev/null";
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(run(cmd));
    std::string line;
    while (std::getline(in, line))
        rows.push_back(split(line, '\t'));
    return rows;
}

class TsharkOracle : public testing::Test {
  protected:
    void SetUp() override {
        if (!have_tshark())
            GTEST_SKIP() << "tshark not installed: oracle test skipped";
        ASSERT_TRUE(tmp_.ok());
        std::string err;
        ASSERT_TRUE(build_frame_set(&frames_, &err)) << err;
    }
    meshwork::test::TempDir tmp_{"meshwork-tshark"};  // the captures, removed after each test
    std::vector<ExpectedFrame> frames_;
};

void check_against_tshark(const std::vector<ExpectedFrame> &frames, const std::string &pcap) {
    std::set<std::string> all;
    for (const ExpectedFrame &f : frames)
        for (const auto &kv : f.fields)
            all.insert(kv.first);
    std::vector<std::string> names = {"frame.number", "_ws.malformed", "_ws.expert.severity",
                                      "_ws.expert.message", "frame.protocols"};
    names.insert(names.end(), all.begin(), all.end());
    auto rows = tshark_fields(pcap, names);
    ASSERT_EQ(rows.size(), frames.size()) << "tshark output rows";
    for (std::size_t i = 0; i < frames.size(); ++i) {
        const ExpectedFrame &f = frames[i];
        const auto &row = rows[i];
        ASSERT_EQ(row.size(), names.size()) << f.name;
        EXPECT_EQ(row[1], "") << f.name << ": malformed (" << row[4] << ")";
        // Expert severities: 0x00600000 warning, 0x00800000 error. The only warning allowed is
        // the one for secured frames we give no key for.
        std::vector<std::string> sevs = split(row[2], ','), msgs = split(row[3], ',');
        for (std::size_t j = 0; j < sevs.size(); ++j) {
            if (sevs[j].empty())
                continue;
            unsigned long v = std::strtoul(sevs[j].c_str(), nullptr, 0);
            const std::string msg = j < msgs.size() ? msgs[j] : "";
            if (msg.find("can't decrypt") != std::string::npos)
                continue;
            EXPECT_LT(v, 0x00600000ul) << f.name << ": expert warning/error: " << msg;
        }
        for (std::size_t k = 5; k < names.size(); ++k) {
            auto it = f.fields.find(names[k]);
            if (it == f.fields.end())
                continue;
            EXPECT_EQ(row[k], it->second)
                << f.name << ": " << names[k] << " (protocols " << row[4] << ")";
        }
    }
}

}  // namespace

TEST_F(TsharkOracle, TapCaptureDecodesAsMeant) {
    check_against_tshark(
        frames_, write_pcap(tmp_, frames_, PcapLinkType::kIeee802154Tap, "oracle-283.pcap"));
}

TEST_F(TsharkOracle, WithFcsCaptureDecodesAsMeant) {
    check_against_tshark(
        frames_, write_pcap(tmp_, frames_, PcapLinkType::kIeee802154WithFcs, "oracle-195.pcap"));
}

TEST_F(TsharkOracle, TapChannelAndRssi) {
    std::string pcap = write_pcap(tmp_, frames_, PcapLinkType::kIeee802154Tap, "oracle-tap.pcap");
    auto rows = tshark_fields(pcap, {"wpan-tap.ch_num", "wpan-tap.rss", "wpan-tap.fcs_type"});
    ASSERT_EQ(rows.size(), frames_.size());
    for (const auto &r : rows) {
        ASSERT_EQ(r.size(), 3u);
        EXPECT_EQ(r[0], "15");
        EXPECT_EQ(std::atof(r[1].c_str()), -40.0);
        EXPECT_EQ(r[2], "1");
    }
}

#ifdef MESHWORK_DECODE_PATH

// The reverse direction: meshwork-decode reads the same capture and reports the same values
// for every field both tools know (numbers compared by value: tshark prints some in hex).
TEST_F(TsharkOracle, MeshworkDecodeAgreesWithTshark) {
    const std::vector<std::string> names = {"frame.number",
                                            "frame.len",
                                            "wpan.frame_type",
                                            "wpan.version",
                                            "wpan.security",
                                            "wpan.pending",
                                            "wpan.ack_request",
                                            "wpan.pan_id_compression",
                                            "wpan.seq_no",
                                            "wpan.dst_pan",
                                            "wpan.dst16",
                                            "wpan.dst64",
                                            "wpan.src_pan",
                                            "wpan.src16",
                                            "wpan.src64",
                                            "wpan.fcs",
                                            "wpan.cmd",
                                            "wpan.aux_sec.sec_level",
                                            "wpan.aux_sec.key_id_mode",
                                            "wpan.aux_sec.frame_counter",
                                            "wpan.aux_sec.key_index",
                                            "wpan-tap.ch_num",
                                            "wpan-tap.rss",
                                            "6lowpan.iphc.tf",
                                            "6lowpan.iphc.nh",
                                            "6lowpan.iphc.hlim",
                                            "6lowpan.iphc.cid",
                                            "6lowpan.iphc.sac",
                                            "6lowpan.iphc.sam",
                                            "6lowpan.iphc.m",
                                            "6lowpan.iphc.dac",
                                            "6lowpan.iphc.dam",
                                            "6lowpan.frag.size",
                                            "6lowpan.frag.tag",
                                            "6lowpan.frag.offset",
                                            "6lowpan.mesh.hops",
                                            "6lowpan.mesh.orig16",
                                            "6lowpan.mesh.dest16",
                                            "ipv6.src",
                                            "ipv6.dst",
                                            "ipv6.hlim",
                                            "ipv6.plen",
                                            "ipv6.nxt",
                                            "udp.srcport",
                                            "udp.dstport",
                                            "udp.length",
                                            "udp.checksum",
                                            "icmpv6.type",
                                            "icmpv6.code",
                                            "icmpv6.checksum",
                                            "mle.sec_suite",
                                            "mle.cmd",
                                            "coap.type",
                                            "coap.code",
                                            "coap.mid",
                                            "coap.token",
                                            "coap.opt.uri_path_recon",
                                            "coap.payload_length"};
    // tshark shows the MLE auxiliary header under wpan.aux_sec; we keep it under mle.aux_sec.
    auto ours_name = [](const std::string &n) {
        if (n.rfind("wpan.aux_sec.", 0) == 0)
            return n + "|mle.aux_sec." + n.substr(13);
        return n;
    };
    // Layers above 6LoWPAN appear in the first fragment for us and in the reassembling last
    // one for tshark; those are compared only on unfragmented frames.
    auto upper = [](const std::string &n) {
        return n.rfind("ipv6.", 0) == 0 || n.rfind("udp.", 0) == 0 || n.rfind("icmpv6.", 0) == 0 ||
               n.rfind("mle.", 0) == 0 || n.rfind("coap.", 0) == 0;
    };
    std::string pcap = write_pcap(tmp_, frames_, PcapLinkType::kIeee802154Tap, "reverse-283.pcap");
    std::string list;
    for (const std::string &n : names)
        list += (list.empty() ? "" : ",") + ours_name(n);
    std::string cmd = std::string(MESHWORK_DECODE_PATH) + " -c 0=fd00:db8::/64 --fields '" + list +
                      "' '" + pcap + "'";
    std::vector<std::vector<std::string>> ours;
    {
        std::istringstream in(run(cmd));
        std::string line;
        while (std::getline(in, line))
            ours.push_back(split(line, '\t'));
    }
    std::string tcmd =
        "tshark -n -r '" + pcap + "'" + kPrefs + " -T fields -E separator=/t -E occurrence=f";
    for (const std::string &n : names)
        tcmd += " -e " + n;
    std::vector<std::vector<std::string>> theirs;
    {
        std::istringstream in(run(tcmd + " 2>/dev/null"));
        std::string line;
        while (std::getline(in, line))
            theirs.push_back(split(line, '\t'));
    }
    ASSERT_EQ(ours.size(), frames_.size());
    ASSERT_EQ(theirs.size(), frames_.size());
    std::size_t compared = 0;
    for (std::size_t i = 0; i < frames_.size(); ++i) {
        ASSERT_EQ(ours[i].size(), names.size());
        ASSERT_EQ(theirs[i].size(), names.size());
        const bool fragmented =
            !ours[i][32].empty() || !theirs[i][32].empty();  // 6lowpan.frag.size
        for (std::size_t k = 0; k < names.size(); ++k) {
            if (fragmented && upper(names[k]))
                continue;
            const std::string &a = ours[i][k], &b = theirs[i][k];
            double x = 0, y = 0;
            if (as_number(a, &x) && as_number(b, &y)) {
                EXPECT_DOUBLE_EQ(x, y)
                    << frames_[i].name << ": " << names[k] << " ours=" << a << " tshark=" << b;
            } else {
                EXPECT_EQ(a, b) << frames_[i].name << ": " << names[k];
            }
            if (!a.empty())
                ++compared;
        }
    }
    EXPECT_GT(compared, 200u);  // the comparison covered real values, not empty columns
}
#endif

// Every IPHC form we emit, checked by tshark: each source against each destination, cycling the
// traffic class / flow label and hop limit forms, over ICMPv6 echo (whose checksum tshark verifies,
// so a wrongly restored address cannot pass).
TEST_F(TsharkOracle, EveryIphcFormDecodesToTheSamePacket) {
    LowpanContextTable ctx;
    ctx.set(0, Ip6Address::from_text("fd00:db8::").value_or(Ip6Address()), 64);
    const char *srcs[] = {"fe80::1022:3344:5566:7788",
                          "fe80::ff:fe00:400",
                          "fe80::ff:fe00:1234",
                          "fe80::1:2:3:4",
                          "2001:db8::1",
                          "fd00:db8::ff:fe00:400",
                          "fd00:db8::1:2:3:4",
                          "fd00:db8::ff:fe00:77",
                          "::"};
    const char *dsts[] = {"fe80::8a77:6655:4433:2211",
                          "fe80::ff:fe00:fc00",
                          "fd00:db8::ff:fe00:fc00",
                          "fd00:db8::abcd",
                          "2001:db8::99",
                          "ff02::1",
                          "ff02::1a",
                          "ff05::fb",
                          "ff02::1:ff00:1234",
                          "ff32:40:fd00:db8::1",
                          "ff0e::1:2:3:4:5"};
    const std::uint8_t tcs[] = {0x00, 0xb8, 0x01, 0xb9};
    const std::uint32_t fls[] = {0, 0, 0x12345, 0xabcde};
    const std::uint8_t hls[] = {1, 64, 255, 7};
    struct Sent {
        std::string src, dst;
        unsigned tc, fl, hl;
        IphcFields f;
    };
    std::vector<Sent> sent;
    std::vector<ExpectedFrame> frames;
    unsigned n = 0;
    for (const char *s : srcs) {
        for (const char *d : dsts) {
            Ip6Address sa = Ip6Address::from_text(s).value_or(Ip6Address());
            Ip6Address da = Ip6Address::from_text(d).value_or(Ip6Address());
            const std::uint8_t data[] = {1, 2, 3, 4};
            Icmp6Message echo =
                Icmp6Message::echo(false, 1, static_cast<std::uint16_t>(n), ByteSpan(data));
            std::vector<std::uint8_t> icmp(echo.emitted_size());
            ASSERT_TRUE(
                echo.emit(MutableByteSpan(icmp.data(), icmp.size()), PseudoHeader{sa, da}).ok());
            Ip6Header h;
            h.traffic_class = tcs[n % 4];
            h.flow_label = fls[n % 4];
            h.hop_limit = hls[(n / 4) % 4];
            h.next_header = IpProto::kIcmp6;
            h.payload_length = static_cast<std::uint16_t>(icmp.size());
            h.src = sa;
            h.dst = da;
            std::vector<std::uint8_t> pkt(40);
            ASSERT_TRUE(h.emit(MutableByteSpan(pkt.data(), pkt.size())).ok());
            pkt.insert(pkt.end(), icmp.begin(), icmp.end());
            LinkAddresses link;
            link.src = (n % 2) ? MacAddress::from_extended(0x1222334455667788ull)
                               : MacAddress::from_short(0x0400);
            link.dst = da.is_multicast() ? MacAddress::from_short(0xffff)
                       : (n % 3)         ? MacAddress::from_short(0xfc00)
                                         : MacAddress::from_extended(0x8877665544332211ull);
            std::uint8_t hdr[64];
            Result<IphcCompressResult> c = iphc_compress(ByteSpan(pkt.data(), pkt.size()), link,
                                                         ctx, MutableByteSpan(hdr, sizeof hdr));
            ASSERT_TRUE(c.ok());
            std::vector<std::uint8_t> pl(hdr, hdr + c->written);
            pl.insert(pl.end(), pkt.begin() + static_cast<long>(c->consumed), pkt.end());
            ByteReader fr(ByteSpan(pl.data(), pl.size()));
            Sent st{s, d, tcs[n % 4], fls[n % 4], hls[(n / 4) % 4], *IphcFields::parse(fr)};
            MacFrame f;
            f.seq = static_cast<std::uint8_t>(n);
            f.has_dst_pan = true;
            f.dst_pan = 0xface;
            f.src = link.src;
            f.dst = link.dst;
            f.payload = ByteSpan(pl.data(), pl.size());
            ExpectedFrame e;
            e.name = std::string(s) + " -> " + d;
            e.psdu.resize(f.emitted_size());
            ASSERT_TRUE(f.emit(MutableByteSpan(e.psdu.data(), e.psdu.size())).ok());
            frames.push_back(e);
            sent.push_back(st);
            ++n;
        }
    }
    std::string pcap = write_pcap(tmp_, frames, PcapLinkType::kIeee802154Tap, "iphc-forms.pcap");
    const std::vector<std::string> names = {
        "_ws.malformed",   "_ws.expert.message", "ipv6.src",         "ipv6.dst",
        "ipv6.tclass",     "ipv6.flow",          "ipv6.hlim",        "icmpv6.checksum.status",
        "6lowpan.iphc.tf", "6lowpan.iphc.hlim",  "6lowpan.iphc.sac", "6lowpan.iphc.sam",
        "6lowpan.iphc.m",  "6lowpan.iphc.dac",   "6lowpan.iphc.dam"};
    auto rows = tshark_fields(pcap, names);
    ASSERT_EQ(rows.size(), frames.size());
    std::set<std::string> forms;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto &r = rows[i];
        const Sent &st = sent[i];
        ASSERT_EQ(r.size(), names.size());
        const std::string &what = frames[i].name;
        EXPECT_EQ(r[0], "") << what;
        EXPECT_EQ(r[1], "") << what << ": " << r[1];
        // tshark prints addresses in RFC 5952 form, as Ip6Address::to_text does.
        char a[Ip6Address::kTextMax], b[Ip6Address::kTextMax];
        Ip6Address::from_text(st.src.c_str()).value_or(Ip6Address()).to_text(a, sizeof a);
        Ip6Address::from_text(st.dst.c_str()).value_or(Ip6Address()).to_text(b, sizeof b);
        EXPECT_EQ(r[2], a) << what;
        EXPECT_EQ(r[3], b) << what;
        double v = 0;
        EXPECT_TRUE(as_number(r[4], &v) && v == st.tc) << what << " tclass " << r[4];
        EXPECT_TRUE(as_number(r[5], &v) && v == st.fl) << what << " flow " << r[5];
        EXPECT_TRUE(as_number(r[6], &v) && v == st.hl) << what << " hlim " << r[6];
        EXPECT_EQ(r[7], "1") << what << " (checksum status)";
        const unsigned fields[] = {st.f.tf, st.f.hlim, st.f.sac, st.f.sam,
                                   st.f.m,  st.f.dac,  st.f.dam};
        for (int k = 0; k < 7; ++k)
            EXPECT_TRUE(as_number(r[8 + k], &v) && v == fields[k]) << what << " " << names[8 + k];
        forms.insert(std::to_string(st.f.sac) + std::to_string(st.f.sam) + "/" +
                     std::to_string(st.f.m) + std::to_string(st.f.dac) + std::to_string(st.f.dam));
    }
    // The sweep really covered the forms: every SAC/SAM and M/DAC/DAM pair seen.
    std::set<std::string> src_forms, dst_forms;
    for (const std::string &f : forms) {
        src_forms.insert(f.substr(0, 2));
        dst_forms.insert(f.substr(3));
    }
    EXPECT_EQ(src_forms.size(), 8u) << "SAC/SAM forms";  // 00 01 02 03 10 11 12 13
    EXPECT_GE(dst_forms.size(), 11u)
        << "M/DAC/DAM forms";  // 7 unicast + 4 multicast (+ 1 prefix-based)
}

#ifdef MESHWORK_DECODE_PATH
// meshwork-decode on hex input (no tshark needed): where decoding stops, "error" names the layer,
// the byte offset in the frame and the reason.
TEST(MeshworkDecode, HexInputReportsWhereDecodingStopped) {
    const std::string input =
        "# comment lines and blank lines are skipped\n"
        "\n"
        // 1: whole frame, UDP over IPHC (no FCS).
        "41 98 01 ce fa ff ff 01 00 7f 33 f0 f0 b1 f0 b2 00 00 12 34\n"
        // 2: 802.15.4 header cut inside the destination address.
        "41 98 01 ce fa ff\n"
        // 3: IPHC using context 0, which is not configured here: stops at the IPHC header (offset
        // 9).
        "41 98 01 ce fa ff ff 01 00 7b 55 05 3a\n"
        // 4: not hex.
        "zz\n";
    meshwork::test::TempDir tmp("meshwork-decode");
    ASSERT_TRUE(tmp.ok());
    std::string path = tmp.file("decode-input.txt");
    std::ofstream(path) << input;
    std::string out =
        run(std::string(MESHWORK_DECODE_PATH) +
            " --no-fcs -e frame.number,udp.dstport,error.layer,error.offset,error.reason < '" +
            path + "'");
    std::vector<std::string> lines = split(out, '\n');
    ASSERT_GE(lines.size(), 4u) << out;
    EXPECT_EQ(lines[0], "1\t61618\t\t\t");
    EXPECT_EQ(lines[1], "2\t\twpan\t0\ttruncated");
    EXPECT_EQ(lines[2], "3\t\t6lowpan\t9\tnot-found");
    EXPECT_EQ(lines[3], "4\t\tinput\t0\tnot hex");
    // JSON mode: one object per line.
    std::string json = run(std::string(MESHWORK_DECODE_PATH) + " --no-fcs < '" + path + "'");
    std::vector<std::string> objs = split(json, '\n');
    ASSERT_GE(objs.size(), 4u);
    EXPECT_EQ(objs[0].front(), '{');
    EXPECT_NE(objs[0].find("\"udp\":{"), std::string::npos);
    EXPECT_NE(objs[2].find("\"error\":{"), std::string::npos);
}
#endif
