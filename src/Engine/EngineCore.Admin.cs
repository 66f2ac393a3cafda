namespace Ipvs.Engine;

internal sealed partial class EngineCore
{
    private void LoadAdminState()
    {
        _admin.Clear();
        IReadOnlyList<AdminRecord> records;
        try
        {
            records = _adminStore.Load();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            EngineLog.AdminLoadFailed(_logger, _adminStore.Description, ex.Message);
            records = [];
        }
        foreach (var r in records)
        {
            _admin[(r.VirtualService, r.RealServer)] = r;
        }
        foreach (var vs in _serviceOrder)
        {
            foreach (var rs in vs.Ordered)
            {
                ApplyAdminRecord(rs);
            }
        }
    }

    private void ApplyAdminRecord(RealServerState rs)
    {
        if (_admin.TryGetValue((rs.Service.Name, rs.EndPoint), out var r))
        {
            rs.Admin = r.State;
            rs.WeightOverride = r.WeightOverride;
            rs.AdminBy = r.Who;
            rs.AdminAt = r.At;
        }
    }

    public IReadOnlyList<AdminChange> SetAdmin(string? virtualService, RealServerSelector selector, AdminState? state, int? weight, bool overrideGiven, string who)
    {
        var changes = new List<AdminChange>();
        lock (_lock)
        {
            _now = Now();
            foreach (var vs in _serviceOrder)
            {
                if (virtualService is not null && vs.Name != virtualService)
                {
                    continue;
                }
                foreach (var rs in vs.Ordered)
                {
                    if (selector.Matches(rs.EndPoint))
                    {
                        ChangeAdmin(rs, state ?? rs.Admin, overrideGiven ? weight : rs.WeightOverride, who, changes);
                    }
                }
            }
            if (changes.Exists(c => c.Changed) && PersistAdmin() is { } notSaved)
            {
                for (var i = 0; i < changes.Count; i++)
                {
                    if (changes[i].Changed)
                    {
                        changes[i] = changes[i] with { NotSaved = notSaved };
                    }
                }
            }
        }
        if (_running)
        {
            Pump();
        }
        return changes;
    }

    private void ChangeAdmin(RealServerState rs, AdminState state, int? weightOverride, string who, List<AdminChange>? changes)
    {
        var change = new AdminChange(rs.Service.Name, rs.EndPoint, rs.Admin, state, rs.WeightOverride, weightOverride);
        changes?.Add(change);
        if (!change.Changed)
        {
            return;
        }
        var at = Wall;
        rs.Admin = state;
        rs.WeightOverride = weightOverride;
        rs.AdminBy = who;
        rs.AdminAt = at;
        // Recorded even when back to ready: who put it back, and when, is worth keeping.
        _admin[(rs.Service.Name, rs.EndPoint)] = new AdminRecord(rs.Service.Name, rs.EndPoint, state, weightOverride, who, at);
        var from = AdminWord(change.FromState, change.FromOverride);
        var to = AdminWord(state, weightOverride);
        EngineLog.AdminChanged(_logger, rs.Service.Name, rs.EndPoint, from, to, who);
        Raise(EngineEventKind.AdminChanged, rs.Service, rs.EndPoint, from, to, "admin action", who, health: Word(CheckHealth.IsUp(rs.Health)));
        MarkDirty(rs.Service);
    }

    private static string AdminWord(AdminState state, int? weightOverride)
    {
        var s = state switch { AdminState.Drain => "drain", AdminState.Maintenance => "maintenance", _ => "ready" };
        return weightOverride is { } w ? $"{s} (weight {w})" : s;
    }

    /// <summary>Saves the admin state; null when saved, else why not (the change holds in memory only).</summary>
    private string? PersistAdmin()
    {
        try
        {
            _adminStore.Save([.. _admin.Values]);
            Volatile.Write(ref Counters._adminStateSaveFailing, 0);
            return null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Counters._adminStateSaveErrors++;
            Volatile.Write(ref Counters._adminStateSaveFailing, 1);
            EngineLog.AdminSaveFailed(_logger, _adminStore.Description, ex.Message);
            return ex.Message;
        }
    }

    public int ReleaseHold(string? virtualService, string who)
    {
        var released = 0;
        lock (_lock)
        {
            _now = Now();
            foreach (var vs in _serviceOrder)
            {
                if ((virtualService is null || vs.Name == virtualService) && vs.Held)
                {
                    vs.ReleaseRequested = true;
                    released++;
                    EngineLog.HoldReleased(_logger, vs.Name, who);
                    MarkDirty(vs);
                }
            }
        }
        if (_running && released > 0)
        {
            Pump();
        }
        return released;
    }
}
