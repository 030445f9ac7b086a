---
# Distribution: bulk.pl and an outbound Postfix, [=bulk] replica<#if bulk != "1">s</#if>. A StatefulSet, not a Deployment:
# a pod's host name (bulk-0, ...) is what Sympa's spool locks name, and the pod that replaces
# another under the same name frees the packet it was sending (another host's lock is taken for
# stale only after 20 minutes); each keeps its Postfix queue in a claim of its own.
apiVersion: v1
kind: Service
metadata:
  name: bulk
  labels:
<@labels "bulk"/>
spec:
  clusterIP: None
  selector:
<@selector "bulk"/>
  ports:
    - name: smtp
      port: 25
      targetPort: smtp
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: bulk
  labels:
<@labels "bulk"/>
spec:
  serviceName: bulk
  replicas: [=bulk]
  podManagementPolicy: Parallel
  selector:
    matchLabels:
<@selector "bulk"/>
  template:
    metadata:
      labels:
<@podLabels "bulk"/>
    spec:
      terminationGracePeriodSeconds: 40
      containers:
<@sympaContainer "bulk"/>
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
