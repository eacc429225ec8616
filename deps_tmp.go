package zsbot

import (
	_ "github.com/alicebob/miniredis/v2"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/redis/go-redis/v9"
	_ "github.com/robfig/cron/v3"
	_ "github.com/silenceper/wechat/v2/util"
	_ "github.com/silenceper/wechat/v2/work"
	_ "github.com/silenceper/wechat/v2/work/appchat"
	_ "github.com/silenceper/wechat/v2/work/message"
	_ "github.com/silenceper/wechat/v2/work/robot"
	_ "github.com/xuri/excelize/v2"
	_ "golang.org/x/text/unicode/norm"
)
