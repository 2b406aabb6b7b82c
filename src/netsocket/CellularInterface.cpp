// CellularInterface: applying the application's nsapi.default-cellular-* configuration, read
// at run time (meshwork/config/ApplicationConfiguration.h).
#include "CellularInterface.h"

#include <optional>
#include <string>

#include "meshwork/config/ApplicationConfiguration.h"

namespace {

struct DefaultCellular {
    std::optional<std::string> sim_pin, apn, username, password, plmn;
};

// Parsed once and never destroyed: an interface may keep the pointers it is given.
const DefaultCellular &default_cellular() {
    static const DefaultCellular *const cellular = [] {
        const meshwork::config::Configuration &c = meshwork::config::application_configuration();
        auto *d = new DefaultCellular;
        d->sim_pin = c.c_string("nsapi.default-cellular-sim-pin");
        d->apn = c.c_string("nsapi.default-cellular-apn");
        d->username = c.c_string("nsapi.default-cellular-username");
        d->password = c.c_string("nsapi.default-cellular-password");
        d->plmn = c.c_string("nsapi.default-cellular-plmn");
        return d;
    }();
    return *cellular;
}

const char *or_null(const std::optional<std::string> &s) {
    return s ? s->c_str() : nullptr;
}

}  // namespace

void CellularInterface::set_default_parameters() {
    const DefaultCellular &d = default_cellular();
    if (d.sim_pin) {
        set_sim_pin(d.sim_pin->c_str());
    }
    if (d.apn) {
        set_credentials(d.apn->c_str(), or_null(d.username), or_null(d.password));
    }
    if (d.plmn) {
        set_plmn(d.plmn->c_str());
    }
}
