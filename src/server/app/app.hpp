// The app port: policy issuer, form receiver, the django-style test form, the demo and the
// built widget, and (loopback only) the fault control endpoint.
#pragma once

#include <httplib.h>

#include "config.hpp"
#include "emulator/faults.hpp"
#include "emulator/object_store.hpp"
#include "app/companion_s3.hpp"
#include "app/policy_issuer.hpp"

namespace s3file::server {

class App {
public:
    /// `store` is null when policies are for real S3 (nothing to check locally).
    App(ServerConfig config, IssuerConfig issuer, const ObjectStore* store, FaultPlan& faults, int s3_port);
    void install(httplib::Server& server);

private:
    std::string bucket_url(const httplib::Request& request) const;
    void policy(const httplib::Request& request, httplib::Response& response);
    void submit(const httplib::Request& request, httplib::Response& response);
    void form_page(const httplib::Request& request, httplib::Response& response);
    void faults(const httplib::Request& request, httplib::Response& response);

    ServerConfig config_;
    IssuerConfig issuer_;
    const ObjectStore* store_;
    FaultPlan& faults_;
    int s3_port_;
    CompanionS3 companion_;
};

/// The seed's Django widget rendering: input.s3file with data-url, data-fields-*, and
/// data-s3f-signature; `name` the field, `multiple` for several files.
std::string render_s3file_input(const IssuedPolicy& policy, const std::string& name, bool multiple,
                                const std::string& accept);

}  // namespace s3file::server
