<#include "kubernetes/helpers.ftl">
# Kubernetes manifests of the Sympa list server for [=domain], made by
# `builder render --format kubernetes` from its spec: regenerate them rather than edit them.
#
# Images: [=image] (core, bulk, web: builder image --spec SPEC) and [=relayImage] (the front
# relay: builder image --spec SPEC --front-relay), pushed to a registry the cluster pulls from.
# Secrets, once, each holding its file under the key "value":
<#list secrets as secret>
#   kubectl create secret generic [=secret.name] --from-file=value=FILE
</#list>
# Volumes (volumes.yaml: ReadWriteMany claims shared by core, bulk and web), then this file:
#   kubectl apply -f volumes.yaml -f sympa.yaml
<#include "kubernetes/relay.yaml.ftl">
<#include "kubernetes/core.yaml.ftl">
<#include "kubernetes/bulk.yaml.ftl">
<#include "kubernetes/web.yaml.ftl">
<#include "kubernetes/postgresql.yaml.ftl">
<#include "kubernetes/network-policies.yaml.ftl">
