---
# The core: inbound mail from the relays, sympa_msg, archived, bounced, task_manager. Exactly one.
apiVersion: v1
kind: Service
metadata:
  name: [=core]
  labels:
<@labels "core"/>
spec:
  clusterIP: None
  selector:
<@selector "core"/>
  ports:
    - name: smtp
      port: 25
      targetPort: smtp
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: [=core]
  labels:
<@labels "core"/>
spec:
  serviceName: [=core]
  replicas: 1
  podManagementPolicy: OrderedReady
  selector:
    matchLabels:
<@selector "core"/>
  template:
    metadata:
      labels:
<@podLabels "core"/>
    spec:
      terminationGracePeriodSeconds: 40
      containers:
<@sympaContainer "core"/>
      volumes:
<@sympaVolumes false/>
  volumeClaimTemplates:
    - metadata:
        name: queue
      spec:
        accessModes: ["ReadWriteOnce"]
        resources:
          requests:
            storage: 1Gi
