using System.Runtime.InteropServices;
using Ipvs.Netlink;

namespace Ipvs.Engine;

internal sealed partial class EngineCore
{
    private static readonly long RereadFloor = TimeSpan.FromMilliseconds(100).Ticks;

    private readonly List<IpvsEdit> _edits = [];
    private readonly List<EditOwner> _owners = [];
    private IpvsEditResult[] _results = new IpvsEditResult[64];
    private long _lastReadAt = long.MinValue / 2;

    private void MaybeReconcile()
    {
        if (!_running)
        {
            return;
        }
        if (!_ready)
        {
            if (_now < _gateAt)
            {
                RecomputeDirty();
                return;
            }
            FullRead();
            foreach (var vs in _serviceOrder)
            {
                MarkDirty(vs);
            }
            ReconcilePass();
            Volatile.Write(ref _ready, true);
            EngineLog.Ready(_logger, Table.Description);
            Raise(EngineEventKind.Ready, null, null, "starting", "ready", "readiness gate passed, first pass done", "engine");
            return;
        }
        TakeKernelRead();
        if (_pendingRead is null && (_now >= _nextFullRead || (_rereadRequested && _now - _lastReadAt >= RereadFloor)))
        {
            StartFullRead();
        }
        if (_dirty.Count > 0 || _pendingDeletes.Count > 0)
        {
            ReconcilePass();
        }
    }

    private void RecomputeDirty()
    {
        foreach (var vs in _dirty)
        {
            vs.Dirty = false;
            if (!vs.Retired)
            {
                RecomputeDesired(vs);
            }
        }
        _dirty.Clear();
    }

    /// <summary>Re-reads the whole table (IPVS sends no change notifications) and sorts out drift.</summary>
    private void FullRead()
    {
        _nextFullRead = _now + _options.ReconcileInterval.Ticks;
        _lastReadAt = _now;
        _rereadRequested = false;
        IReadOnlyList<ServiceEntry> dump;
        try
        {
            dump = Table.Dump();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            EngineLog.TableFailed(_logger, Table.Description, ex.Message);
            return;
        }
        Counters._fullReads++;
        _lastDump = Wall;
        ReadKernel(dump, adopting: false);
    }

    /// <summary>One pass: desired weights of the services that changed, their diff, one batch, each result handled.</summary>
    private void ReconcilePass()
    {
        Counters._reconcilePasses++;
        _edits.Clear();
        _owners.Clear();
        foreach (var delete in _pendingDeletes)
        {
            _edits.Add(delete);
            _owners.Add(new EditOwner(null, null, false));
        }
        _pendingDeletes.Clear();
        foreach (var vs in _dirty)
        {
            vs.Dirty = false;
            if (vs.Retired)
            {
                continue;
            }
            RecomputeDesired(vs);
            BuildEdits(vs);
        }
        _dirty.Clear();
        if (_edits.Count == 0)
        {
            return;
        }
        if (_results.Length < _edits.Count)
        {
            _results = new IpvsEditResult[Math.Max(_edits.Count, _results.Length * 2)];
        }
        var results = _results.AsSpan(0, _edits.Count);
        results.Clear();
        _applyGeneration++;
        foreach (var o in _owners)
        {
            if (o.Service is { } edited)
            {
                edited.EditGeneration = _applyGeneration;
            }
        }
        try
        {
            Table.Apply(CollectionsMarshal.AsSpan(_edits), results);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            EngineLog.TableFailed(_logger, Table.Description, ex.Message);
            _rereadRequested = true;
            foreach (var o in _owners)
            {
                if (o.Service is { Retired: false } vs)
                {
                    MarkDirty(vs);
                }
            }
            return;
        }
        Counters._kernelBatches++;
        Counters._kernelEdits += _edits.Count;
        for (var i = 0; i < _edits.Count; i++)
        {
            HandleResult(_edits[i], _owners[i], results[i]);
        }
        foreach (var o in _owners)
        {
            if (o.Service is { } vs)
            {
                vs.FailedThisPass = false;
            }
        }
    }

    private void Add(IpvsEdit edit, VirtualServiceState vs, RealServerState? rs, bool sorry = false)
    {
        _edits.Add(edit);
        _owners.Add(new EditOwner(vs, rs, sorry));
    }

    private void BuildEdits(VirtualServiceState vs)
    {
        if (_now < vs.RetryAt)
        {
            return;
        }
        if (vs.KernelService is null)
        {
            if (vs.DriftIgnored)
            {
                return;
            }
            Add(IpvsEdit.AddService(vs.Spec.Service), vs, null);
        }
        else if (!SameService(vs.KernelService, vs.Spec.Service))
        {
            Add(IpvsEdit.EditService(vs.Spec.Service), vs, null);
        }
        foreach (var rs in vs.Ordered)
        {
            if (rs.DriftIgnored || _now < rs.RetryAt)
            {
                continue;
            }
            switch (DestinationEdit(rs))
            {
                case IpvsEditKind.AddDestination:
                    Add(IpvsEdit.AddDestination(vs.Key, rs.DesiredConfig(rs.DesiredWeight)), vs, rs);
                    break;
                case IpvsEditKind.EditDestination:
                    Add(IpvsEdit.EditDestination(vs.Key, rs.DesiredConfig(rs.DesiredWeight)), vs, rs);
                    break;
                case IpvsEditKind.DeleteDestination:
                    Add(IpvsEdit.DeleteDestination(vs.Key, rs.KernelDest!), vs, rs);
                    break;
            }
        }
        if (vs.Spec.SorryServer is { } sorry)
        {
            switch (SorryEdit(vs))
            {
                case IpvsEditKind.AddDestination:
                    Add(IpvsEdit.AddDestination(vs.Key, sorry), vs, null, sorry: true);
                    break;
                case IpvsEditKind.EditDestination:
                    Add(IpvsEdit.EditDestination(vs.Key, sorry), vs, null, sorry: true);
                    break;
                case IpvsEditKind.DeleteDestination:
                    Add(IpvsEdit.DeleteDestination(vs.Key, vs.KernelSorry!), vs, null, sorry: true);
                    break;
            }
        }
    }

    /// <summary>The edit that brings one realserver's kernel entry to its desired state, or null when none is needed.</summary>
    private static IpvsEditKind? DestinationEdit(RealServerState rs)
    {
        if (!rs.DesiredKnown)
        {
            return null;
        }
        var k = rs.KernelDest;
        if (rs.DesiredPresent)
        {
            return k is null ? IpvsEditKind.AddDestination
                : k.Weight != rs.DesiredWeight || !rs.SameFixedFields(k) ? IpvsEditKind.EditDestination
                : null;
        }
        return k is not null ? IpvsEditKind.DeleteDestination : null;
    }

    /// <summary>The edit that brings the sorry server's kernel entry where the service's quorum wants it, or null.</summary>
    private static IpvsEditKind? SorryEdit(VirtualServiceState vs)
    {
        if (vs.Spec.SorryServer is not { } sorry)
        {
            return null;
        }
        var k = vs.KernelSorry;
        return vs.SorryActive
            ? (k is null ? IpvsEditKind.AddDestination : k != sorry ? IpvsEditKind.EditDestination : null)
            : (k is not null ? IpvsEditKind.DeleteDestination : null);
    }

    /// <summary>Whether the kernel view of a service differs from what we want there: only then does a read need a pass.</summary>
    private static bool KernelDiffers(VirtualServiceState vs)
    {
        if (vs.KernelService is null || !SameService(vs.KernelService, vs.Spec.Service) || SorryEdit(vs) is not null)
        {
            return true;
        }
        foreach (var rs in vs.Ordered)
        {
            if (DestinationEdit(rs) is not null)
            {
                return true;
            }
        }
        return false;
    }

    private void HandleResult(in IpvsEdit edit, in EditOwner owner, in IpvsEditResult result)
    {
        var vs = owner.Service;
        var rs = owner.RealServer;
        if (result.Succeeded)
        {
            if (vs is null)
            {
                return; // a retired entry is gone
            }
            switch (edit.Kind)
            {
                case IpvsEditKind.AddService:
                case IpvsEditKind.EditService:
                    vs.KernelService = edit.Service;
                    vs.LastErrno = 0;
                    break;
                case IpvsEditKind.AddDestination:
                case IpvsEditKind.EditDestination:
                case IpvsEditKind.DeleteDestination:
                    var now = edit.Kind == IpvsEditKind.DeleteDestination ? null : edit.Destination;
                    if (owner.Sorry)
                    {
                        vs.KernelSorry = now;
                    }
                    else if (rs is not null)
                    {
                        rs.KernelDest = now;
                        rs.LastErrno = 0;
                    }
                    break;
            }
            return;
        }
        var changedUnderUs = result.Errno is Errno.EEXIST or Errno.ESRCH
            || (result.Errno == Errno.ENOENT && edit.Kind is IpvsEditKind.EditDestination or IpvsEditKind.DeleteDestination);
        if (vs is null)
        {
            if (!changedUnderUs)
            {
                Counters._kernelErrors++;
                EngineLog.EditFailed(_logger, edit.Kind, edit.Key, result.Errno, result.Message);
            }
            return;
        }
        if (changedUnderUs)
        {
            if (vs.FailedThisPass)
            {
                return; // the service's own edit failed in this batch: its destinations could not succeed
            }
            // The kernel changed under us (ipvsadm, another daemon): re-read and converge, quietly.
            Counters._kernelConverged++;
            _rereadRequested = true;
            MarkDirty(vs);
            EngineLog.Converging(_logger, edit.Kind, edit.Key, result.Errno);
            return;
        }
        Counters._kernelErrors++;
        var retryAt = _now + _options.ReconcileInterval.Ticks;
        var first = rs is null ? vs.LastErrno != result.Errno : rs.LastErrno != result.Errno;
        if (rs is null)
        {
            vs.LastErrno = result.Errno;
            vs.RetryAt = retryAt;
            vs.FailedThisPass |= edit.Kind is IpvsEditKind.AddService or IpvsEditKind.EditService;
        }
        else
        {
            rs.LastErrno = result.Errno;
            rs.RetryAt = retryAt;
        }
        if (first)
        {
            // Logged once per distinct error, retried at the next full read: no storm.
            EngineLog.EditFailed(_logger, edit.Kind, edit.Key, result.Errno, result.Message);
            Raise(EngineEventKind.KernelEditFailed, vs, rs?.EndPoint ?? edit.Destination?.EndPoint, edit.Kind.ToString(),
                "errno " + result.Errno, result.Message ?? "kernel refused the edit", "kernel");
        }
        MarkDirty(vs);
    }

    private static bool SameService(ServiceConfig a, ServiceConfig b) =>
        a.Scheduler == b.Scheduler
        && (a.Flags & ~ServiceFlags.Hashed) == (b.Flags & ~ServiceFlags.Hashed)
        && a.PersistenceTimeoutSeconds == b.PersistenceTimeoutSeconds
        && a.Netmask == b.Netmask
        && a.PersistenceEngine == b.PersistenceEngine;

    private readonly record struct EditOwner(VirtualServiceState? Service, RealServerState? RealServer, bool Sorry);
}
