-- Service points lie in metropolitan France or a DOM (bounding boxes of etl/services.py).
select couche, id, longitude, latitude
from services
where not (
       (longitude between -5.5 and 10.0 and latitude between 41.0 and 51.5)
    or (longitude between -61.9 and -60.9 and latitude between 15.8 and 16.6)
    or (longitude between -61.3 and -60.7 and latitude between 14.3 and 15.0)
    or (longitude between -54.7 and -51.5 and latitude between 2.0 and 6.0)
    or (longitude between 55.1 and 55.9 and latitude between -21.5 and -20.8)
    or (longitude between 44.9 and 45.4 and latitude between -13.1 and -12.5)
)
