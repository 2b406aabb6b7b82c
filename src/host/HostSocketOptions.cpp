// HostStack: socket options (mbed-api.md 2.5 with the optlen rules of 1.17) and datagram I/O
// with control messages (NSAPI_PKTINFO).
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <ifaddrs.h>

#include <cerrno>
#include <climits>
#include <cstring>

#include "ErrnoMap.h"
#include "HostAddress.h"
#include "HostStackImpl.h"
#include "nanostack/socket_api.h"

namespace meshwork {

using host::HostSocket;
using host::nsapi_error_from_errno;
using host::SocketOp;

namespace {

bool same_addr(const nsapi_addr_t &a, const nsapi_addr_t &b) {
    if (a.version != b.version) {
        return false;
    }
    const int n = a.version == NSAPI_IPv4 ? 4 : a.version == NSAPI_IPv6 ? 16 : 0;
    return std::memcmp(a.bytes, b.bytes, n) == 0;
}

/// Index of the host interface holding `addr`, 0 when none does.
unsigned if_index_of(const nsapi_addr_t &addr) {
    ifaddrs *list = nullptr;
    if (::getifaddrs(&list) != 0) {
        return 0;
    }
    unsigned index = 0;
    for (ifaddrs *ifa = list; ifa && index == 0; ifa = ifa->ifa_next) {
        if (!ifa->ifa_addr || !ifa->ifa_name) {
            continue;
        }
        nsapi_addr_t a{};
        if (ifa->ifa_addr->sa_family == AF_INET) {
            a = host::nsapi_addr_from_in(reinterpret_cast<sockaddr_in *>(ifa->ifa_addr)->sin_addr);
        } else if (ifa->ifa_addr->sa_family == AF_INET6) {
            a = host::nsapi_addr_from_in6(
                reinterpret_cast<sockaddr_in6 *>(ifa->ifa_addr)->sin6_addr);
        } else {
            continue;
        }
        if (same_addr(a, addr)) {
            index = ::if_nametoindex(ifa->ifa_name);
        }
    }
    ::freeifaddrs(list);
    return index;
}

nsapi_error_t set_int(int fd, int level, int name, int value) {
    if (::setsockopt(fd, level, name, &value, sizeof value) != 0) {
        return nsapi_error_from_errno(errno, SocketOp::kOption);
    }
    return NSAPI_ERROR_OK;
}

nsapi_error_t get_int(int fd, int level, int name, int *value) {
    socklen_t len = sizeof *value;
    if (::getsockopt(fd, level, name, value, &len) != 0) {
        return nsapi_error_from_errno(errno, SocketOp::kOption);
    }
    return NSAPI_ERROR_OK;
}

/// Mbed keep-alive times are in milliseconds (the reference stack's unit); the kernel's are
/// whole seconds.
int ms_to_keepalive_seconds(int ms) {
    if (ms <= 1000) {
        return 1;
    }
    const long s = (static_cast<long>(ms) + 999) / 1000;
    return s > 32767 ? 32767 : static_cast<int>(s);
}

}  // namespace

nsapi_error_t HostStack::setsockopt(nsapi_socket_t handle, int level, int optname,
                                    const void *optval, unsigned optlen) {
    Impl::Use u = impl_->use(handle);
    if (!u) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    // The reference stack ignores the level; only other layers' levels are refused here, and
    // Nanostack's SOCKET_IPPROTO_IPV6 (mesh applications), whose option numbers would
    // otherwise be read as NSAPI_SOCKET's (SOCKET_IPV6_MULTICAST_HOPS is 3, NSAPI_KEEPINTVL).
    if (level == NSAPI_TLSSOCKET_LEVEL || level == NSAPI_STACK || level == SOCKET_IPPROTO_IPV6) {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    HostSocket *s = u.s;
    std::lock_guard<std::mutex> state(s->state_mutex);
    const nsapi_error_t ret = impl_->apply_option(s, u.fd, optname, optval, optlen);
    if (ret == NSAPI_ERROR_OK) {
        const auto *bytes = static_cast<const unsigned char *>(optval);
        s->options.push_back(
            {optname, std::vector<unsigned char>(bytes, bytes + (bytes ? optlen : 0))});
    }
    return ret;
}

nsapi_error_t HostStack::Impl::apply_option(HostSocket *s, int fd, int optname, const void *optval,
                                            unsigned optlen) {
    const bool tcp = s->proto == NSAPI_TCP;
    const bool int_arg = optlen == sizeof(int) && optval;
    const int value = int_arg ? *static_cast<const int *>(optval) : 0;

    switch (optname) {
        case NSAPI_REUSEADDR:
            if (!int_arg) {
                return NSAPI_ERROR_UNSUPPORTED;
            }
            return set_int(fd, SOL_SOCKET, SO_REUSEADDR, value ? 1 : 0);

        case NSAPI_KEEPALIVE:
            if (!int_arg || !tcp) {
                return NSAPI_ERROR_UNSUPPORTED;
            }
            return set_int(fd, SOL_SOCKET, SO_KEEPALIVE, value ? 1 : 0);

        case NSAPI_KEEPIDLE:
        case NSAPI_KEEPINTVL:
            if (!int_arg || !tcp) {
                return NSAPI_ERROR_UNSUPPORTED;
            }
            if (value < 0) {
                return NSAPI_ERROR_PARAMETER;
            }
            return set_int(fd, IPPROTO_TCP,
                           optname == NSAPI_KEEPIDLE ? TCP_KEEPIDLE : TCP_KEEPINTVL,
                           ms_to_keepalive_seconds(value));

        case NSAPI_LINGER: {
            // int seconds: negative turns lingering off, 0 makes close() abortive (RST).
            if (!int_arg) {
                return NSAPI_ERROR_UNSUPPORTED;
            }
            linger lg{};
            lg.l_onoff = value >= 0 ? 1 : 0;
            lg.l_linger = value >= 0 ? value : 0;
            if (::setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) != 0) {
                return nsapi_error_from_errno(errno, SocketOp::kOption);
            }
            return NSAPI_ERROR_OK;
        }

        case NSAPI_SNDBUF:
        case NSAPI_RCVBUF:
            if (!int_arg) {
                return NSAPI_ERROR_UNSUPPORTED;
            }
            if (value <= 0) {
                return NSAPI_ERROR_PARAMETER;
            }
            return set_int(fd, SOL_SOCKET, optname == NSAPI_SNDBUF ? SO_SNDBUF : SO_RCVBUF, value);

        case NSAPI_BROADCAST:
            if (!int_arg || tcp) {
                return NSAPI_ERROR_UNSUPPORTED;
            }
            return set_int(fd, SOL_SOCKET, SO_BROADCAST, value ? 1 : 0);

        case NSAPI_IPTOS: {
            if (optlen != 1 || !optval) {
                return NSAPI_ERROR_UNSUPPORTED;
            }
            const int tos = *static_cast<const unsigned char *>(optval);
            // Both families: on a dual-stack socket IPv4 traffic uses IP_TOS, IPv6 the class.
            nsapi_error_t ret = set_int(fd, IPPROTO_IP, IP_TOS, tos);
            if (s->family == AF_INET6 && ret == NSAPI_ERROR_OK) {
                ret = set_int(fd, IPPROTO_IPV6, IPV6_TCLASS, tos);
            }
            return ret;
        }

        case NSAPI_PKTINFO: {
            if (!int_arg || tcp) {
                return NSAPI_ERROR_UNSUPPORTED;
            }
            const int on = value ? 1 : 0;
            nsapi_error_t ret = set_int(fd, IPPROTO_IP, IP_PKTINFO, on);
            if (s->family == AF_INET6 && ret == NSAPI_ERROR_OK) {
                ret = set_int(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, on);
            }
            if (ret == NSAPI_ERROR_OK) {
                s->pktinfo = on != 0;
            }
            return ret;
        }

        case NSAPI_BIND_TO_DEVICE: {
            // Linux names reach IFNAMSIZ - 1 characters; the socket layer may limit them more.
            if (optlen >= IFNAMSIZ || (optlen > 0 && !optval)) {
                return NSAPI_ERROR_UNSUPPORTED;
            }
            char name[IFNAMSIZ] = {};
            if (optlen > 0) {
                std::memcpy(name, optval, optlen);
            }
            if (::setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name,
                             static_cast<socklen_t>(std::strlen(name))) != 0) {
                return errno == ENODEV ? NSAPI_ERROR_PARAMETER
                                       : nsapi_error_from_errno(errno, SocketOp::kOption);
            }
            return NSAPI_ERROR_OK;
        }

        case NSAPI_ADD_MEMBERSHIP:
        case NSAPI_DROP_MEMBERSHIP: {
            if (tcp) {
                return NSAPI_ERROR_UNSUPPORTED;
            }
            if (optlen != sizeof(nsapi_ip_mreq_t) || !optval) {
                return NSAPI_ERROR_PARAMETER;
            }
            const auto *mreq = static_cast<const nsapi_ip_mreq_t *>(optval);
            const bool add = optname == NSAPI_ADD_MEMBERSHIP;
            auto it = s->memberships.begin();
            for (; it != s->memberships.end(); ++it) {
                if (same_addr(it->group, mreq->imr_multiaddr) &&
                    same_addr(it->iface, mreq->imr_interface)) {
                    break;
                }
            }
            const bool member = it != s->memberships.end();
            if (add && member) {
                return NSAPI_ERROR_ADDRESS_IN_USE;
            }
            if (!add && !member) {
                return NSAPI_ERROR_NO_ADDRESS;
            }
            // Unspecified interface: the one this stack reports, so joins work the same with
            // or without a default route.
            unsigned ifindex = 0;
            if (host::is_unspecified(mreq->imr_interface)) {
                ifindex = ::if_nametoindex(chosen_interface().c_str());
            } else if (mreq->imr_interface.version == NSAPI_IPv6 ||
                       mreq->imr_multiaddr.version == NSAPI_IPv6) {
                ifindex = if_index_of(mreq->imr_interface);
                if (ifindex == 0) {
                    return NSAPI_ERROR_PARAMETER;
                }
            }
            int rc;
            if (mreq->imr_multiaddr.version == NSAPI_IPv4) {
                ip_mreqn m{};
                m.imr_multiaddr = host::in_from_nsapi_addr(mreq->imr_multiaddr);
                if (mreq->imr_interface.version == NSAPI_IPv4 &&
                    !host::is_unspecified(mreq->imr_interface)) {
                    m.imr_address = host::in_from_nsapi_addr(mreq->imr_interface);
                } else {
                    m.imr_ifindex = static_cast<int>(ifindex);
                }
                rc = ::setsockopt(fd, IPPROTO_IP, add ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, &m,
                                  sizeof m);
            } else if (mreq->imr_multiaddr.version == NSAPI_IPv6 && s->family == AF_INET6) {
                ipv6_mreq m{};
                m.ipv6mr_multiaddr = host::in6_from_nsapi_addr(mreq->imr_multiaddr);
                m.ipv6mr_interface = ifindex;
                rc = ::setsockopt(fd, IPPROTO_IPV6, add ? IPV6_JOIN_GROUP : IPV6_LEAVE_GROUP, &m,
                                  sizeof m);
            } else {
                return NSAPI_ERROR_PARAMETER;
            }
            if (rc != 0 && !(errno == EADDRNOTAVAIL && !add)) {
                return errno == EADDRINUSE ? NSAPI_ERROR_ADDRESS_IN_USE
                                           : nsapi_error_from_errno(errno, SocketOp::kOption);
            }
            if (add) {
                s->memberships.push_back({mreq->imr_multiaddr, mreq->imr_interface});
            } else {
                s->memberships.erase(it);
            }
            return NSAPI_ERROR_OK;
        }

        default:
            return NSAPI_ERROR_UNSUPPORTED;  // LATENCY, STAGGER and unknown options
    }
}

nsapi_error_t HostStack::getsockopt(nsapi_socket_t handle, int level, int optname, void *optval,
                                    unsigned *optlen) {
    Impl::Use u = impl_->use(handle);
    if (!u) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    if (level == NSAPI_TLSSOCKET_LEVEL || level == NSAPI_STACK || level == SOCKET_IPPROTO_IPV6) {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    HostSocket *s = u.s;
    const int fd = u.fd;
    std::lock_guard<std::mutex> state(s->state_mutex);
    const bool tcp = s->proto == NSAPI_TCP;
    if (!optval || !optlen) {
        return NSAPI_ERROR_PARAMETER;
    }
    int value = 0;
    nsapi_error_t ret;
    switch (optname) {
        case NSAPI_REUSEADDR:
            ret = get_int(fd, SOL_SOCKET, SO_REUSEADDR, &value);
            break;
        case NSAPI_KEEPALIVE:
            if (!tcp) {
                return NSAPI_ERROR_UNSUPPORTED;
            }
            ret = get_int(fd, SOL_SOCKET, SO_KEEPALIVE, &value);
            break;
        case NSAPI_KEEPIDLE:
        case NSAPI_KEEPINTVL:
            if (!tcp) {
                return NSAPI_ERROR_UNSUPPORTED;
            }
            ret = get_int(fd, IPPROTO_TCP, optname == NSAPI_KEEPIDLE ? TCP_KEEPIDLE : TCP_KEEPINTVL,
                          &value);
            value *= 1000;  // milliseconds, as set
            break;
        case NSAPI_LINGER: {
            linger lg{};
            socklen_t len = sizeof lg;
            ret = ::getsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, &len) == 0
                      ? NSAPI_ERROR_OK
                      : nsapi_error_from_errno(errno, SocketOp::kOption);
            value = lg.l_onoff ? lg.l_linger : -1;
            break;
        }
        case NSAPI_SNDBUF:
            ret = get_int(fd, SOL_SOCKET, SO_SNDBUF, &value);
            break;
        case NSAPI_RCVBUF:
            ret = get_int(fd, SOL_SOCKET, SO_RCVBUF, &value);
            break;
        case NSAPI_BROADCAST:
            if (tcp) {
                return NSAPI_ERROR_UNSUPPORTED;
            }
            ret = get_int(fd, SOL_SOCKET, SO_BROADCAST, &value);
            break;
        case NSAPI_PKTINFO:
            if (tcp) {
                return NSAPI_ERROR_UNSUPPORTED;
            }
            value = s->pktinfo ? 1 : 0;
            ret = NSAPI_ERROR_OK;
            break;
        case NSAPI_IPTOS: {
            if (*optlen < 1) {
                return NSAPI_ERROR_PARAMETER;
            }
            ret = get_int(fd, IPPROTO_IP, IP_TOS, &value);
            if (ret == NSAPI_ERROR_OK) {
                *static_cast<unsigned char *>(optval) = static_cast<unsigned char>(value);
                *optlen = 1;
            }
            return ret;
        }
        case NSAPI_BIND_TO_DEVICE: {
            char name[IFNAMSIZ] = {};
            socklen_t len = sizeof name;
            if (::getsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name, &len) != 0) {
                return nsapi_error_from_errno(errno, SocketOp::kOption);
            }
            const unsigned need = static_cast<unsigned>(std::strlen(name)) + 1;
            if (*optlen < need) {
                return NSAPI_ERROR_PARAMETER;
            }
            std::memcpy(optval, name, need);
            *optlen = need;
            return NSAPI_ERROR_OK;
        }
        default:
            return NSAPI_ERROR_UNSUPPORTED;
    }
    if (ret != NSAPI_ERROR_OK) {
        return ret;
    }
    if (*optlen < sizeof(int)) {
        return NSAPI_ERROR_PARAMETER;
    }
    std::memcpy(optval, &value, sizeof value);
    *optlen = sizeof(int);
    return NSAPI_ERROR_OK;
}

// ---------------------------------------------------------------------------------------------
// Datagram I/O with control messages

nsapi_size_or_error_t HostStack::socket_sendto_control(nsapi_socket_t handle,
                                                       const SocketAddress &address,
                                                       const void *data, nsapi_size_t size,
                                                       nsapi_msghdr_t *control,
                                                       nsapi_size_t control_size) {
    Impl::Use u = impl_->use(handle);
    if (!u) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    HostSocket *s = u.s;
    const int fd = u.fd;
    s->acted_on(host::kOutputConditions);
    if (!data && size > 0) {
        return NSAPI_ERROR_PARAMETER;
    }
    const bool tcp = s->proto == NSAPI_TCP;
    if (tcp && control) {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    sockaddr_storage sa;
    socklen_t sa_len = 0;
    if (!tcp) {
        if (host::is_unspecified(address.get_addr())) {
            // Nothing to send nowhere is no error (the Mbed datagram tests check it).
            return size == 0 ? 0 : NSAPI_ERROR_PARAMETER;
        }
        if (!host::to_sockaddr(address, s->family, &sa, &sa_len)) {
            return NSAPI_ERROR_PARAMETER;
        }
    }

    const size_t length = size > INT_MAX ? static_cast<size_t>(INT_MAX) : size;
    sockaddr *to = tcp ? nullptr : reinterpret_cast<sockaddr *>(&sa);
    ssize_t n;
    if (!control) {
        // sendto(), not sendmsg(): the kernel's sendmsg() path costs about a tenth more per
        // small datagram (bench_host_sockets udp).
        do {
            n = ::sendto(fd, data, length, MSG_NOSIGNAL | MSG_DONTWAIT, to, sa_len);
        } while (n < 0 && errno == EINTR);
        return impl_->sent_or_error(s, fd, n);
    }

    return impl_->send_with_control(s, fd, to, sa_len, data, length, address, control,
                                    control_size);
}

nsapi_size_or_error_t HostStack::Impl::sent_or_error(HostSocket *s, int fd, ssize_t n) {
    if (n < 0) {
        const int err = errno;
        if (err == EAGAIN || err == EWOULDBLOCK) {
            want_output(s, fd);
        }
        return nsapi_error_from_errno(err, SocketOp::kIo);
    }
    return static_cast<nsapi_size_or_error_t>(n);
}

nsapi_size_or_error_t HostStack::socket_recvfrom_control(nsapi_socket_t handle,
                                                         SocketAddress *address, void *data,
                                                         nsapi_size_t size, nsapi_msghdr_t *control,
                                                         nsapi_size_t control_size) {
    Impl::Use u = impl_->use(handle);
    if (!u) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    if (u.s->proto == NSAPI_TCP) {
        u = Impl::Use{};  // socket_recv takes the handle again
        if (control) {
            return NSAPI_ERROR_UNSUPPORTED;
        }
        const nsapi_size_or_error_t n = socket_recv(handle, data, size);
        if (n >= 0 && address) {
            Impl::Use again = impl_->use(handle);
            sockaddr_storage peer;
            socklen_t len = sizeof peer;
            if (again && ::getpeername(again.fd, reinterpret_cast<sockaddr *>(&peer), &len) == 0) {
                *address = host::from_sockaddr(reinterpret_cast<sockaddr *>(&peer), len);
            }
        }
        return n;
    }
    const int fd = u.fd;
    u.s->acted_on(host::kInputConditions);
    sockaddr_storage peer;
    const size_t length = data ? (size > INT_MAX ? static_cast<size_t>(INT_MAX) : size) : 0;
    const bool want_pktinfo = control && control_size >= sizeof(nsapi_msghdr_t);
    ssize_t n;
    if (!want_pktinfo) {
        // recvfrom(), not recvmsg(), and no source address unless asked for: both cost time on
        // every datagram (bench_host_sockets udp).
        socklen_t peer_len = sizeof peer;
        sockaddr *from = address ? reinterpret_cast<sockaddr *>(&peer) : nullptr;
        do {
            n = ::recvfrom(fd, data, length, MSG_DONTWAIT, from, address ? &peer_len : nullptr);
        } while (n < 0 && errno == EINTR);
        if (n < 0) {
            return nsapi_error_from_errno(errno, SocketOp::kIo);
        }
        if (address) {
            host::assign_from_sockaddr(address, from, peer_len);
        }
        return static_cast<nsapi_size_or_error_t>(n);
    }

    return impl_->recv_with_pktinfo(fd, address, data, length, control, control_size);
}

// Out of line, so that the plain paths above and below stay lean (they run per datagram).
nsapi_size_or_error_t HostStack::Impl::send_with_control(
    HostSocket *s, int fd, sockaddr *to, socklen_t to_len, const void *data, size_t length,
    const SocketAddress &address, nsapi_msghdr_t *control, nsapi_size_t control_size) {
    iovec iov{const_cast<void *>(data), length};
    msghdr msg{};
    msg.msg_name = to;
    msg.msg_namelen = to_len;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) char cbuf[CMSG_SPACE(sizeof(in6_pktinfo))] = {};
    {
        // Walk the application's messages; PKTINFO picks the source address / interface.
        nsapi_size_t offset = 0;
        while (control_size - offset >= sizeof(nsapi_msghdr_t)) {
            auto *hdr =
                reinterpret_cast<nsapi_msghdr_t *>(reinterpret_cast<char *>(control) + offset);
            if (hdr->len < sizeof(nsapi_msghdr_t) || hdr->len > control_size - offset) {
                break;
            }
            if (hdr->level != NSAPI_SOCKET || hdr->type != NSAPI_PKTINFO ||
                hdr->len < sizeof(nsapi_pktinfo_t)) {
                return NSAPI_ERROR_UNSUPPORTED;
            }
            const auto *pi = reinterpret_cast<const nsapi_pktinfo_t *>(hdr);
            const bool v4_dest = address.get_ip_version() == NSAPI_IPv4;
            msg.msg_control = cbuf;
            if (v4_dest) {
                msg.msg_controllen = CMSG_SPACE(sizeof(in_pktinfo));
                cmsghdr *c = CMSG_FIRSTHDR(&msg);
                c->cmsg_level = IPPROTO_IP;
                c->cmsg_type = IP_PKTINFO;
                c->cmsg_len = CMSG_LEN(sizeof(in_pktinfo));
                in_pktinfo info{};
                info.ipi_ifindex = pi->ipi_ifindex;
                info.ipi_spec_dst = host::in_from_nsapi_addr(pi->ipi_addr);
                std::memcpy(CMSG_DATA(c), &info, sizeof info);
            } else {
                msg.msg_controllen = CMSG_SPACE(sizeof(in6_pktinfo));
                cmsghdr *c = CMSG_FIRSTHDR(&msg);
                c->cmsg_level = IPPROTO_IPV6;
                c->cmsg_type = IPV6_PKTINFO;
                c->cmsg_len = CMSG_LEN(sizeof(in6_pktinfo));
                in6_pktinfo info{};
                info.ipi6_ifindex = static_cast<unsigned>(pi->ipi_ifindex);
                if (pi->ipi_addr.version == NSAPI_IPv6) {
                    info.ipi6_addr = host::in6_from_nsapi_addr(pi->ipi_addr);
                }
                std::memcpy(CMSG_DATA(c), &info, sizeof info);
            }
            offset += hdr->len;
        }
    }

    ssize_t n;
    do {
        n = ::sendmsg(fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    return sent_or_error(s, fd, n);
}

nsapi_size_or_error_t HostStack::Impl::recv_with_pktinfo(int fd, SocketAddress *address, void *data,
                                                         size_t length, nsapi_msghdr_t *control,
                                                         nsapi_size_t control_size) {
    sockaddr_storage peer;
    ssize_t n;
    iovec iov{data, length};
    msghdr msg{};
    msg.msg_name = &peer;
    msg.msg_namelen = sizeof peer;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) char cbuf[CMSG_SPACE(sizeof(in_pktinfo)) + CMSG_SPACE(sizeof(in6_pktinfo))];
    msg.msg_control = cbuf;
    msg.msg_controllen = sizeof cbuf;
    do {
        n = ::recvmsg(fd, &msg, MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        return nsapi_error_from_errno(errno, SocketOp::kIo);
    }
    if (address) {
        host::assign_from_sockaddr(address, reinterpret_cast<sockaddr *>(&peer), msg.msg_namelen);
    }
    bool filled = false;
    if (control_size >= sizeof(nsapi_pktinfo_t)) {
        for (cmsghdr *c = CMSG_FIRSTHDR(&msg); c && !filled; c = CMSG_NXTHDR(&msg, c)) {
            nsapi_pktinfo_t pi{};
            if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
                in_pktinfo info;
                std::memcpy(&info, CMSG_DATA(c), sizeof info);
                pi.ipi_addr = host::nsapi_addr_from_in(info.ipi_addr);
                pi.ipi_ifindex = info.ipi_ifindex;
            } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
                in6_pktinfo info;
                std::memcpy(&info, CMSG_DATA(c), sizeof info);
                pi.ipi_addr = host::nsapi_addr_from_in6(info.ipi6_addr);
                pi.ipi_ifindex = static_cast<int>(info.ipi6_ifindex);
            } else {
                continue;
            }
            pi.hdr.len = sizeof(nsapi_pktinfo_t);
            pi.hdr.level = NSAPI_SOCKET;
            pi.hdr.type = NSAPI_PKTINFO;
            pi.network_interface = user_interface_for(static_cast<unsigned>(pi.ipi_ifindex));
            std::memcpy(control, &pi, sizeof pi);
            filled = true;
        }
    }
    if (!filled) {
        control->len = 0;  // no message: a stale one must not be read back
    }
    return static_cast<nsapi_size_or_error_t>(n);
}

}  // namespace meshwork
