System.Console.WriteLine(NetGen.Mnist.MnistNet.ParameterCount);
