# The volumes core, bulk and web share (Sympa's lists, archives and secrets; its spools), for the
# Sympa list server for [=domain]; made by `builder render --format kubernetes`. ReadWriteMany:
# the pods may run on different nodes, so the storage class must be a shared filesystem with
# flock across clients and atomic rename (NFS v4, CephFS, ...). Apply before sympa.yaml; kept
# apart from it so that re-applying sympa.yaml never touches the data.
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: sympa-data
  labels:
    app.kubernetes.io/name: sympa
    app.kubernetes.io/instance: [=domain]
spec:
  accessModes: ["ReadWriteMany"]
  resources:
    requests:
      storage: 10Gi
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: sympa-spools
  labels:
    app.kubernetes.io/name: sympa
    app.kubernetes.io/instance: [=domain]
spec:
  accessModes: ["ReadWriteMany"]
  resources:
    requests:
      storage: 5Gi
