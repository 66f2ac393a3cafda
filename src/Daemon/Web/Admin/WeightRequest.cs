namespace Ipvs.Daemon.Web.Admin;

/// <summary>Body of <c>POST .../weight</c>: a weight 0..65535, or null to clear the override.</summary>
public sealed record WeightRequest(int? Weight);
