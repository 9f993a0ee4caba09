Console.WriteLine(typeof(NetGen.INetwork).FullName);
