Console.WriteLine("SafetyPrograms quick start: under construction.");
