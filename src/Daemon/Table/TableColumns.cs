namespace Ipvs.Daemon.Table;

/// <summary>Which columns the text table shows, as ipvsadm's -L, -L --stats and -L --rate.</summary>
internal enum TableColumns
{
    Plain,
    Stats,
    Rate,
}
