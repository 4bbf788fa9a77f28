package pii

import "testing"

var nameCases = []detectCase{
	{"participant", "Alice, can you check?", []want{{Name, "Alice"}}},
	{"participant lower", "ask alice tomorrow", []want{{Name, "alice"}}},
	{"participant full", "Alice Martin wrote", []want{{Name, "Alice Martin"}}},
	{"participant han", "我和王小明去了", []want{{Name, "王小明"}}},
	{"participant han given", "小明你好", []want{{Name, "小明"}}},
	{"given and surname", "I met James Wilson today", []want{{Name, "James Wilson"}}},
	{"particles", "Maria dos Santos Oliveira ligou", []want{{Name, "Maria dos Santos Oliveira"}}},
	{"accented", "José Fernández llamó", []want{{Name, "José Fernández"}}},
	{"hindi", "Rahul Verma ne kaha", []want{{Name, "Rahul Verma"}}},
	{"given alone", "ask Rahul", []want{{Name, "Rahul"}}},
	{"ambiguous alone", "Will you send it? Grace period ends in May.", nil},
	{"ambiguous pair", "Will Smith called", []want{{Name, "Will Smith"}}},
	{"ambiguous after title", "Mr. Brown is here", []want{{Name, "Brown"}}},
	{"lower case gazetteer", "james called", nil},
	{"all caps", "JAMES called", nil},
	{"zh title", "请转告李先生", []want{{Name, "李"}}},
	{"zh title with given", "张伟老师说", []want{{Name, "张伟"}}},
	{"zh traditional", "陳大文先生", []want{{Name, "陳大文"}}},
	{"zh intro", "你好，我叫刘德华，", []want{{Name, "刘德华"}}},
	{"zh surname only", "我姓王。", []want{{Name, "王"}}},
	{"zh compound", "欧阳娜娜小姐", []want{{Name, "欧阳娜娜"}}},
	{"zh no context", "王伟今天不来", nil},
	{"zh title without surname", "这位先生", nil},
}

func TestNames(t *testing.T) { runCases(t, nameCases) }

func TestGazetteerLoads(t *testing.T) {
	g := loadGazetteer()
	for _, w := range []string{"Maria", "João", "García", "Sharma", "Wang"} {
		if g.latin[w] == 0 {
			t.Errorf("%s missing from the gazetteer", w)
		}
	}
	if g.latin["Will"]&ambiguous == 0 {
		t.Error("Will is not marked ambiguous")
	}
	if !g.zh['王'] || !g.zh['陳'] || len(g.zh2) == 0 {
		t.Error("Han surnames missing")
	}
}
