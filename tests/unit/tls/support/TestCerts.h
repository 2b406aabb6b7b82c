// Test certificates, generated once per test process with the openssl command-line tool into a
// temporary directory (mbed TLS's built-in test certificates have expired): a CA, a server
// certificate for "localhost" (SAN DNS:localhost, IP:127.0.0.1), one for another host name, one
// signed by an untrusted CA, an expired one, and a client certificate. All keys are P-256.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "TempDir.h"

namespace meshwork::test {

class TestCerts {
  public:
    std::string dir;
    std::string ca_pem;
    std::vector<unsigned char> ca_der;
    std::string server_key;     // key of every server certificate below
    std::string server_crt;     // CN=localhost, signed by the CA
    std::string wronghost_crt;  // CN=wrong.example, signed by the CA
    std::string untrusted_crt;  // CN=localhost, signed by another CA
    std::string expired_crt;    // CN=localhost, signed by the CA, expired yesterday
    std::string client_crt;
    std::string client_key;
    bool ok = false;

    /// Generated on first call; `ok` is false (and the error printed) when openssl failed.
    static const TestCerts &get() {
        static TestCerts certs;
        return certs;
    }

    std::string path(const char *name) const { return dir + "/" + name; }

  private:
    TestCerts() {
        if (!tmp_.ok()) {
            return;
        }
        dir = tmp_.path();
        const std::string script =
            "set -e; cd '" + dir +
            "'; exec >openssl.log 2>&1\n"
            "key() { openssl ecparam -name prime256v1 -genkey -noout -out \"$1\"; }\n"
            "key ca.key; key rogue.key; key server.key; key client.key\n"
            "openssl req -x509 -new -key ca.key -sha256 -days 30 -subj '/CN=meshwork test CA' "
            "-out ca.crt\n"
            "openssl req -x509 -new -key rogue.key -sha256 -days 30 -subj '/CN=rogue CA' "
            "-out rogue.crt\n"
            "openssl x509 -in ca.crt -outform DER -out ca.der\n"
            "sign() { # name cn ca days san\n"
            "  openssl req -new -key server.key -subj \"/CN=$2\" -out $1.csr\n"
            "  printf 'subjectAltName=%s\\nbasicConstraints=CA:FALSE\\n' \"$5\" > $1.ext\n"
            "  openssl x509 -req -in $1.csr -CA $3.crt -CAkey $3.key -CAcreateserial -days $4 "
            "-sha256 -extfile $1.ext -out $1.crt\n"
            "}\n"
            "sign server localhost ca 30 DNS:localhost,IP:127.0.0.1\n"
            "sign wronghost wrong.example ca 30 DNS:wrong.example\n"
            "sign untrusted localhost rogue 30 DNS:localhost,IP:127.0.0.1\n"
            "sign expired localhost ca -1 DNS:localhost,IP:127.0.0.1\n"
            "openssl req -new -key client.key -subj '/CN=meshwork client' -out client.csr\n"
            "openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 "
            "-sha256 -out client.crt\n";
        std::ofstream(path("gen.sh")) << script;
        std::string cmd = "sh '" + path("gen.sh") + "'";
        if (std::system(cmd.c_str()) != 0) {
            std::fprintf(stderr, "certificate generation failed:\n%s\n",
                         read(path("openssl.log")).c_str());
            return;
        }
        ca_pem = read(path("ca.crt"));
        std::string der = read(path("ca.der"));
        ca_der.assign(der.begin(), der.end());
        server_key = read(path("server.key"));
        server_crt = read(path("server.crt"));
        wronghost_crt = read(path("wronghost.crt"));
        untrusted_crt = read(path("untrusted.crt"));
        expired_crt = read(path("expired.crt"));
        client_crt = read(path("client.crt"));
        client_key = read(path("client.key"));
        ok = !ca_pem.empty() && !ca_der.empty() && !server_crt.empty() && !expired_crt.empty() &&
             !client_key.empty();
    }

    static std::string read(const std::string &file) {
        std::ifstream in(file, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }

    TempDir tmp_{"meshwork-tls"};  // removed with the certificates at process exit
};

}  // namespace meshwork::test
