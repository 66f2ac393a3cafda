Console.Error.WriteLine("ipvs-checkd: not built yet");
return 2;
