package pii

import "testing"

var netCases = []detectCase{
	{"ipv4", "server 10.0.0.1 down", []want{{IP, "10.0.0.1"}}},
	{"ipv4 max", "255.255.255.255.", []want{{IP, "255.255.255.255"}}},
	{"ipv4 zero", "0.0.0.0", []want{{IP, "0.0.0.0"}}},
	{"ipv4 port", "10.1.2.3:8080", []want{{IP, "10.1.2.3"}}},
	{"ipv4 in chinese", "地址192.168.1.1的", []want{{IP, "192.168.1.1"}}},
	{"ipv4 256", "10.0.0.256", nil},
	{"ipv4 leading zero", "10.01.0.1", nil},
	{"ipv4 five groups", "1.2.3.4.5", nil},
	{"ipv4 three groups", "1.2.3", nil},
	{"ipv6 full", "2001:0db8:85a3:0000:0000:8a2e:0370:7334", []want{{IP, "2001:0db8:85a3:0000:0000:8a2e:0370:7334"}}},
	{"ipv6 compressed", "via 2001:db8::1.", []want{{IP, "2001:db8::1"}}},
	{"ipv6 letter first", "fe80::1ff:fe23:4567:890a here", []want{{IP, "fe80::1ff:fe23:4567:890a"}}},
	{"ipv6 mapped", "::ffff:1.2.3.4 no, 64:ff9b::192.0.2.33", []want{{IP, "::ffff:1.2.3.4"}, {IP, "64:ff9b::192.0.2.33"}}},
	{"ipv6 loopback", "on ::1 only", []want{{IP, "::1"}}},
	{"time", "at 10:30:00", nil},
	{"mac", "00:1a:2b:3c:4d:5e", nil},
	{"cpp", "std::vector and a::b", nil},
	{"ipv6 bad", "2001:db8:::1", nil},
}

func TestNet(t *testing.T) { runCases(t, netCases) }
